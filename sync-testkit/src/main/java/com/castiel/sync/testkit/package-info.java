/**
 * The published test kit: in-memory implementations of every port, stateful fake provider
 * servers with fault injection, and abstract contract suites that every adapter and every port
 * implementation extends.
 */
package com.castiel.sync.testkit;
