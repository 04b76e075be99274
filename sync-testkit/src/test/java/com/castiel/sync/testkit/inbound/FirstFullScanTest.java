package com.castiel.sync.testkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.inbound.InboundOutcome;
import com.castiel.sync.inbound.InboundSettings;
import com.castiel.sync.inbound.InboundSync;
import com.castiel.sync.model.RunId;
import com.castiel.sync.port.ForwardingRunStore;
import com.castiel.sync.port.RunStore;
import com.castiel.sync.spi.SyncException;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A first full scan (no linked shards yet) has nothing to sweep: it records no seen-set and does
 * not read its own shards back, while every later or resumed full scan keeps both.
 */
class FirstFullScanTest {

    /** The fixture's run store with the seen marks counted. */
    private static final class CountingRuns extends ForwardingRunStore {
        final AtomicLong seenMarks = new AtomicLong();

        CountingRuns(RunStore delegate) {
            super(delegate);
        }

        @Override
        public void markSeen(RunId run, String entity, Collection<String> externalIds) {
            seenMarks.addAndGet(externalIds.size());
            delegate().markSeen(run, entity, externalIds);
        }

    }

    private static CountingRuns counted(InboundFixture f, int pageSize) {
        CountingRuns runs = new CountingRuns(f.runs);
        f.inbound = new InboundSync(f.shards, runs, f.clock, InboundSettings.defaults().withPageSize(pageSize));
        return runs;
    }

    @Test
    void a_first_full_scan_records_no_seen_set_and_creates_every_shard() {
        InboundFixture f = new InboundFixture(2);
        for (int i = 0; i < 7; i++) {
            f.createAccount("Acme " + i, i);
        }
        CountingRuns runs = counted(f, 2);

        InboundOutcome outcome = f.full();

        assertThat(runs.seenMarks.get()).isZero();
        assertThat(outcome.fullScanCompleted()).isTrue();
        assertThat(outcome.run().stats().created()).isEqualTo(7);
        assertThat(outcome.run().stats().deleted()).isZero();
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }

    @Test
    void a_full_scan_after_shards_are_linked_records_what_it_saw_and_sweeps_the_vanished() {
        InboundFixture f = new InboundFixture(2);
        String vanished = f.createAccount("Vanished", 1);
        for (int i = 0; i < 4; i++) {
            f.createAccount("Stays " + i, i);
        }
        f.full();
        f.clock.advance(Duration.ofMinutes(1));
        f.external.delete(InboundFixture.ENTITY, vanished);
        f.external.purgeTombstones(InboundFixture.ENTITY, f.clock.instant().plusSeconds(1));
        f.clock.advance(Duration.ofMinutes(1));
        CountingRuns runs = counted(f, 2);

        InboundOutcome outcome = f.full();

        assertThat(runs.seenMarks.get()).isEqualTo(4);
        assertThat(outcome.run().stats().deleted()).isEqualTo(1);
        assertThat(f.shardFor(vanished).isDeleted()).isTrue();
    }

    @Test
    void a_first_full_scan_resumed_after_a_crash_sweeps_none_of_the_shards_it_created() {
        InboundFixture f = new InboundFixture(5);
        for (int i = 0; i < 23; i++) {
            f.createAccount("Acme " + i, i);
        }
        CountingRuns runs = counted(f, 5);
        f.adapter.failOnFetch(3);
        assertThatThrownBy(f::full).isInstanceOf(SyncException.Transient.class);
        f.clock.advance(Duration.ofMinutes(1));

        InboundOutcome resumed = f.full();

        assertThat(resumed.run().resumed()).isTrue();
        assertThat(runs.seenMarks.get()).as("the resumed attempt cannot know the first one found nothing").isPositive();
        assertThat(resumed.run().stats().created()).isEqualTo(23);
        assertThat(resumed.run().stats().deleted()).isZero();
        assertThat(f.liveShards()).hasSize(23);
        assertThat(f.actualData()).isEqualTo(f.expectedData());
    }
}
