package com.castiel.sync.testkit.fake.salesforce;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Random;

/**
 * Deterministic demo data: the same {@code (n, seed)} on an empty org with the same clock gives
 * the same records, field values and ids. Values come from small word lists so records look
 * like a CRM's. Stateless.
 */
final class SeedData {

    static final int USERS = 5;

    private static final String[] COMPANY_A = {"Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell",
        "Cyberdyne", "Soylent", "Hooli", "Vandelay", "Pied Piper", "Massive Dynamic", "Aperture"};
    private static final String[] COMPANY_B = {"Corp", "Inc", "Labs", "Industries", "Systems", "Holdings", "Partners", "Group"};
    private static final String[] INDUSTRIES = {"Technology", "Manufacturing", "Retail", "Finance", "Healthcare", "Energy",
        "Education", "Media", "Transportation", "Hospitality"};
    private static final String[] CITIES = {"San Francisco", "New York", "London", "Paris", "Berlin", "Tokyo", "Sydney",
        "Toronto", "Madrid", "Amsterdam", "Dublin", "Singapore"};
    private static final String[] COUNTRIES = {"US", "US", "GB", "FR", "DE", "JP", "AU", "CA", "ES", "NL", "IE", "SG"};
    private static final String[] FIRST = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Radia",
        "Linus", "Frances", "John", "Katherine", "Tim", "Hedy", "Dennis"};
    private static final String[] LAST = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson",
        "Perlman", "Torvalds", "Allen", "McCarthy", "Johnson", "Berners-Lee", "Lamarr", "Ritchie"};
    private static final String[] TITLES = {"CEO", "CTO", "VP Sales", "Engineer", "Buyer", "Director", "Analyst", "Manager"};

    private SeedData() {
    }

    static SeedSummary seed(SObjectStore store, int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        SObjectType user = store.type("User").orElseThrow();
        SObjectType account = store.type("Account").orElseThrow();
        SObjectType contact = store.type("Contact").orElseThrow();
        Random random = new Random(seed);
        String[] owners = new String[USERS];
        for (int i = 0; i < USERS; i++) {
            ObjectNode u = SyncJson.object();
            u.put("Name", FIRST[i % FIRST.length] + " " + LAST[(i * 7) % LAST.length]);
            u.put("Username", "owner" + (i + 1) + "@fake-salesforce.example");
            u.put("Email", "owner" + (i + 1) + "@fake-salesforce.example");
            u.put("IsActive", true);
            owners[i] = store.create(user, u).id();
        }
        String[] accounts = new String[n];
        for (int i = 0; i < n; i++) {
            ObjectNode a = SyncJson.object();
            String company = COMPANY_A[random.nextInt(COMPANY_A.length)] + " " + COMPANY_B[random.nextInt(COMPANY_B.length)];
            int city = random.nextInt(CITIES.length);
            a.put("Name", company + " " + (i + 1));
            a.put("AccountNumber", "AC-" + padded(i + 1, 7));
            a.put("Industry", INDUSTRIES[random.nextInt(INDUSTRIES.length)]);
            a.put("AnnualRevenue", BigDecimal.valueOf(random.nextInt(50_000) * 1000L + 100_000L, 0));
            a.put("NumberOfEmployees", 5 + random.nextInt(20_000));
            a.put("Website", "https://www." + company.toLowerCase(java.util.Locale.ROOT).replace(' ', '-') + "-" + (i + 1) + ".example");
            a.put("Phone", "+1 415 555 " + padded(random.nextInt(10_000), 4));
            a.put("BillingCity", CITIES[city]);
            a.put("BillingCountry", COUNTRIES[city]);
            a.put("OwnerId", owners[random.nextInt(USERS)]);
            accounts[i] = store.create(account, a).id();
        }
        for (int i = 0; i < n; i++) {
            ObjectNode c = SyncJson.object();
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            c.put("FirstName", first);
            c.put("LastName", last);
            c.put("Email", (first + "." + last).toLowerCase(java.util.Locale.ROOT) + "." + (i + 1) + "@customer.example");
            c.put("Phone", "+1 212 555 " + padded(random.nextInt(10_000), 4));
            c.put("Title", TITLES[random.nextInt(TITLES.length)]);
            c.put("AccountId", accounts[random.nextInt(n)]);
            c.put("OwnerId", owners[random.nextInt(USERS)]);
            store.create(contact, c);
        }
        return new SeedSummary(USERS, n, n, seed);
    }

    /** {@code value} left-padded with zeros to {@code width} digits (cheaper than String.format, which shows in profiles of large seeds). */
    private static String padded(int value, int width) {
        String digits = Integer.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
