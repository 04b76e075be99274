/**
 * Hosting an adapter under test: {@link com.castiel.sync.testkit.adapter.ContractHost} assembles
 * the engine's own adapter context, HTTP chain and token lifecycle in memory for one integration.
 */
package com.castiel.sync.testkit.adapter;
