package com.castiel.sync.testkit.fake.salesforce;

/**
 * What {@link FakeSalesforce#seedAccountsAndContacts} created.
 *
 * @param users User records (owners)
 * @param accounts Account records
 * @param contacts Contact records, each linked to an Account
 * @param seed the seed used; print it so a failing run can be replayed
 */
public record SeedSummary(int users, int accounts, int contacts, long seed) {
}
