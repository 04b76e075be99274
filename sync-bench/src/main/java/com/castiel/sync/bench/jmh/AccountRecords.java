package com.castiel.sync.bench.jmh;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/** Salesforce Account rows shaped like the fake org's, for the micro-benchmarks. */
final class AccountRecords {

    private AccountRecords() {
    }

    /** The fields of Account {@code i}, as the adapter hands them to the engine (no {@code attributes}). */
    static ObjectNode fields(int i) {
        ObjectNode a = SyncJson.object();
        a.put("Id", id(i));
        a.put("SystemModstamp", "2026-03-01T09:00:00.000+0000");
        a.put("Name", "Acme Corp " + i);
        a.put("AccountNumber", String.format(Locale.ROOT, "AC-%07d", i));
        a.put("Industry", "Technology");
        a.put("AnnualRevenue", BigDecimal.valueOf(1_250_000L + i, 0));
        a.put("NumberOfEmployees", 50 + i % 1000);
        a.put("Website", "https://www.acme-corp-" + i + ".example");
        a.put("Phone", "+1 415 555 " + String.format(Locale.ROOT, "%04d", i % 10_000));
        a.put("BillingCity", "San Francisco");
        a.put("BillingCountry", "US");
        a.put("OwnerId", "005Fk0000000001AAA");
        return a;
    }

    static ExternalRecord record(int i) {
        return ExternalRecord.of("Account", id(i), fields(i), Instant.parse("2026-03-01T09:00:00Z"), "2026-03-01T09:00:00Z");
    }

    /** An 18-character Salesforce-style id. */
    static String id(int i) {
        return String.format(Locale.ROOT, "001Fk%010dAAA", i);
    }
}
