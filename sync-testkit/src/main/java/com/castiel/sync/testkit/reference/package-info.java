/**
 * The reference provider: {@link com.castiel.sync.testkit.reference.ReferenceProviderServer}, a
 * small documented JSON REST API on the fake base, and
 * {@link com.castiel.sync.testkit.reference.ReferenceAdapter}, the model adapter that declares
 * every capability. The adapter classes use only the engine's SPI, model and HTTP packages
 * (checked by an architecture test); the server is test infrastructure.
 */
package com.castiel.sync.testkit.reference;
