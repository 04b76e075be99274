package com.castiel.sync.testkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Shard;
import com.castiel.sync.spi.SyncException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random histories of external creates, updates and deletes — with equal modification stamps,
 * changes made while a scan runs, and crashes at random points — must always converge: after a
 * final sync the shards equal the external records under the mapping, with no duplicate and no
 * lost record, and syncing unchanged data again writes nothing.
 *
 * <p>Replay a failure with {@code -Dinbound.seed=<seed printed in the failure>}.
 */
class InboundSyncPropertyTest {

    private static final int HISTORIES = Integer.getInteger("inbound.histories", 150);

    @Test
    void random_histories_with_crashes_converge_to_the_external_state() {
        long base = Long.getLong("inbound.seed", System.nanoTime());
        System.out.println("InboundSyncPropertyTest base seed: " + base + " (replay with -Dinbound.seed=" + base + ")");
        for (int i = 0; i < HISTORIES; i++) {
            long seed = base + i;
            try {
                runHistory(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("history failed; replay with -Dinbound.seed=" + seed + " -Dinbound.histories=1: " + e.getMessage(), e);
            }
        }
    }

    private static void runHistory(long seed) {
        Random random = new Random(seed);
        InboundFixture f = new InboundFixture(1 + random.nextInt(7));
        List<String> live = new ArrayList<>();
        mutate(f, random, live, random.nextInt(30));
        int rounds = 1 + random.nextInt(6);
        for (int round = 0; round < rounds; round++) {
            mutate(f, random, live, random.nextInt(15));
            int fault = random.nextInt(5);
            int at = 1 + random.nextInt(5);
            switch (fault) {
                case 0 -> f.adapter.failOnFetch(at);
                case 1 -> f.shards.crashBeforeWrite(at);
                case 2 -> f.shards.crashAfterWrite(at);
                default -> { }
            }
            if (random.nextBoolean()) {
                int during = 1 + random.nextInt(4);
                long hookSeed = random.nextLong();
                int base = f.adapter.fetchCount();
                f.adapter.beforeFetch(n -> {
                    if (n == base + during) {
                        mutate(f, new Random(hookSeed), live, 1 + new Random(hookSeed).nextInt(6));
                    }
                });
            }
            JobType type = random.nextInt(4) == 0 ? JobType.FULL_SYNC : JobType.INCREMENTAL;
            try {
                f.run(type);
            } catch (SyncException.Transient | ObservedShardStore.Crash expected) {
                // the process "died"; the next run must pick up the pieces
            }
            f.adapter.beforeFetch(n -> { });
            f.clock.advance(Duration.ofMillis(random.nextInt(3)));
        }
        // Clear any fault still armed, then let the system settle with two ordinary runs.
        f.adapter.failOnFetch(Integer.MAX_VALUE / 2);
        f.shards.crashBeforeWrite(Integer.MAX_VALUE / 2);
        f.shards.crashAfterWrite(Integer.MAX_VALUE / 2);
        f.incremental();
        f.incremental();

        assertThat(f.actualData()).isEqualTo(f.expectedData());
        assertNoDuplicateLinks(f);

        int writes = f.shards.writeCalls();
        InboundOutcome again = f.incremental();
        InboundOutcome full = f.full();
        assertThat(again.run().stats().written()).isZero();
        assertThat(full.run().stats().written()).isZero();
        assertThat(f.shards.writeCalls()).as("re-running on unchanged data writes nothing").isEqualTo(writes);
    }

    private static void mutate(InboundFixture f, Random random, List<String> live, int operations) {
        for (int op = 0; op < operations; op++) {
            int kind = live.isEmpty() ? 0 : random.nextInt(10);
            if (kind < 4) {
                live.add(f.createAccount("Acme " + random.nextInt(1000), random.nextInt(5000)));
            } else if (kind < 8) {
                String id = live.get(random.nextInt(live.size()));
                f.external.update(InboundFixture.ENTITY, id, InboundFixture.account("Renamed " + random.nextInt(1000), random.nextInt(5000)));
            } else {
                String id = live.remove(random.nextInt(live.size()));
                f.external.delete(InboundFixture.ENTITY, id);
            }
            // Often no time passes between changes: equal modification stamps are the norm.
            f.clock.advance(Duration.ofMillis(random.nextInt(3) == 0 ? 1 : 0));
        }
    }

    private static void assertNoDuplicateLinks(InboundFixture f) {
        Set<String> linked = new HashSet<>();
        com.castiel.sync.model.ShardId after = null;
        while (true) {
            List<Shard> page = f.shards.listLinked(InboundFixture.TENANT, InboundFixture.INTEGRATION, InboundFixture.ENTITY, after, 500);
            if (page.isEmpty()) {
                return;
            }
            for (Shard s : page) {
                String id = s.relationshipFor(InboundFixture.INTEGRATION).orElseThrow().externalId();
                assertThat(linked.add(id)).as("external record %s linked by two shards", id).isTrue();
            }
            after = page.get(page.size() - 1).id();
        }
    }
}
