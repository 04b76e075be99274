/**
 * The base of every fake provider server: {@link com.castiel.sync.testkit.fake.FakeProviderServer}
 * (loopback HTTP with routing, bearer-token auth, a request journal and scriptable faults),
 * {@link com.castiel.sync.testkit.fake.FakeRecordStore} (records with stamps, versions and
 * tombstones in (stamp, id) order), {@link com.castiel.sync.testkit.fake.TokenAuthority} (an
 * OAuth 2.0 token endpoint) and {@link com.castiel.sync.testkit.fake.FaultPlan}. Vendor fakes
 * live in sub-packages and extend the server.
 */
package com.castiel.sync.testkit.fake;
