package com.castiel.sync.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.standalone.support.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void theDemoRunsOnceAndTheStoreAgreesWithTheFakeRecordForRecord() {
        Cli.Result r = Cli.run("demo", "--once", "--records", "2000", "--json", "--port", "0");

        assertThat(r.status()).as(r.err()).isZero();
        List<JsonNode> phases = r.out().lines().map(SyncJson::tree).toList();
        assertThat(phases).extracting(p -> p.path("phase").asText())
                .containsExactly("full_sync", "webhook", "write_back", "incremental_sync", "verify");
        JsonNode full = phases.get(0);
        assertThat(full.path("created").asLong()).isEqualTo(2000);
        assertThat(full.path("requests").asLong()).isPositive();
        assertThat(phases.get(1).path("updated").asLong()).isEqualTo(1);
        assertThat(phases.get(2).path("updated").asLong()).isEqualTo(1);
        JsonNode incremental = phases.get(3);
        assertThat(incremental.path("created").asLong()).isZero();
        assertThat(incremental.path("updated").asLong()).isZero();
        assertThat(phases.get(4).path("unchanged").asLong()).isEqualTo(2000);
        assertThat(phases.get(4).path("failed").asLong()).isZero();
        for (JsonNode p : phases) {
            assertThat(p.fieldNames()).toIterable().containsExactly("phase", "created", "updated", "unchanged", "deleted", "failed",
                    "requests", "durationMs");
        }
    }

    @Test
    void theDemoSurvivesInjectedFaultsAndStillAgrees() {
        Cli.Result r = Cli.run("demo", "--once", "--records", "600", "--faults", "0.05", "--seed", "7", "--port", "0");

        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("Full sync: read 600 Accounts").contains("echo was suppressed")
                .contains("agree record for record (600 Accounts)");
    }

    @Test
    void badDemoOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("demo", "--once", "--faults", "1.5");

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--faults");
    }
}
