package com.castiel.sync.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamps the in-memory store maintains beyond the port contract. */
class InMemoryIntegrationStoreTest {

    private static final Instant START = Instant.parse("2025-01-15T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final InMemoryIntegrationStore store = new InMemoryIntegrationStore(clock);

    @Test
    void createStampsCreatedAtAndUpdatedAtFromTheClockWhenUnset() {
        Integration created = store.create(integration(null));

        assertThat(created.createdAt()).isEqualTo(START);
        assertThat(created.updatedAt()).isEqualTo(START);
    }

    @Test
    void createKeepsAGivenCreatedAt() {
        Instant imported = START.minus(Duration.ofDays(30));

        assertThat(store.create(integration(imported)).createdAt()).isEqualTo(imported);
    }

    @Test
    void updateStampsUpdatedAtAndKeepsCreatedAt() {
        Integration v1 = store.create(integration(null));
        clock.advance(Duration.ofMinutes(5));

        Integration v2 = store.update(v1.withData(d -> d.withLastSyncAt(START)));

        assertThat(v2.createdAt()).isEqualTo(START);
        assertThat(v2.updatedAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    private static Integration integration(Instant createdAt) {
        return new Integration(IntegrationId.of("int-1"), TenantId.of("tenant-a"), "n", IntegrationData.of("salesforce", List.of()),
                0, createdAt, null);
    }
}
