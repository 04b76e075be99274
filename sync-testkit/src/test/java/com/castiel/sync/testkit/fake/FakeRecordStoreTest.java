package com.castiel.sync.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Watermark;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.castiel.sync.testkit.time.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FakeRecordStoreTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final FakeRecordStore store = new FakeRecordStore(clock);

    private static ObjectNode fields(String name) {
        return JsonNodeFactory.instance.objectNode().put("name", name);
    }

    @Test
    void changesWhileTheClockStandsStillShareAStampButNotAVersion() {
        StoredRecord a = store.create("c", fields("a"));
        StoredRecord b = store.create("c", fields("b"));
        assertThat(a.modifiedAt()).isEqualTo(b.modifiedAt());
        assertThat(b.version()).isGreaterThan(a.version());
    }

    @Test
    void stampsNeverGoBackwardsWhenTheClockDoes() {
        clock.advance(Duration.ofHours(1));
        StoredRecord first = store.create("c", fields("a"));
        clock.set(clock.instant().minus(Duration.ofHours(2)));
        StoredRecord second = store.create("c", fields("b"));
        assertThat(second.modifiedAt()).isEqualTo(first.modifiedAt());
    }

    @Test
    void scanReturnsRecordsInStampIdOrderAfterTheWatermarkExclusive() {
        StoredRecord b = store.create("c", "b", fields("b"));
        StoredRecord a = store.create("c", "a", fields("a"));
        clock.advance(Duration.ofSeconds(1));
        StoredRecord c = store.create("c", "0", fields("c"));

        assertThat(store.scan("c", null, 10, FakeRecordStore.Visibility.LIVE).records()).containsExactly(a, b, c);
        assertThat(store.scan("c", a.watermark(), 10, FakeRecordStore.Visibility.LIVE).records()).containsExactly(b, c);
    }

    @Test
    void scanSlicesSayWhetherMoreFollow() {
        for (int i = 0; i < 5; i++) {
            store.create("c", fields("r" + i));
        }
        FakeRecordStore.Slice first = store.scan("c", null, 3, FakeRecordStore.Visibility.LIVE);
        FakeRecordStore.Slice rest = store.scan("c", first.last(), 3, FakeRecordStore.Visibility.LIVE);
        assertThat(first.records()).hasSize(3);
        assertThat(first.hasMore()).isTrue();
        assertThat(rest.records()).hasSize(2);
        assertThat(rest.hasMore()).isFalse();
    }

    @Test
    void updateMovesTheRecordToTheEndOfTheOrder() {
        StoredRecord a = store.create("c", "a", fields("a"));
        store.create("c", "b", fields("b"));
        clock.advance(Duration.ofSeconds(1));
        StoredRecord updated = store.update("c", "a", fields("a2"));
        assertThat(updated.modifiedAt()).isAfter(a.modifiedAt());
        assertThat(store.scan("c", null, 10, FakeRecordStore.Visibility.LIVE).records()).extracting(StoredRecord::id).containsExactly("b", "a");
    }

    @Test
    void updateMergesFieldsAndKeepsOthers() {
        store.create("c", "a", JsonNodeFactory.instance.objectNode().put("name", "n").put("email", "e"));
        StoredRecord r = store.update("c", "a", JsonNodeFactory.instance.objectNode().put("email", "e2"));
        assertThat(r.fields()).isEqualTo(JsonNodeFactory.instance.objectNode().put("name", "n").put("email", "e2"));
    }

    @Test
    void updateThatChangesNothingKeepsStampAndVersion() {
        StoredRecord a = store.create("c", "a", fields("a"));
        clock.advance(Duration.ofSeconds(1));
        StoredRecord again = store.update("c", "a", fields("a"));
        assertThat(again).isEqualTo(a);
    }

    @Test
    void conditionalUpdateRefusesWhenThePreconditionFails() {
        StoredRecord a = store.create("c", "a", fields("a"));
        store.update("c", "a", fields("b"));
        assertThatThrownBy(() -> store.updateIf("c", "a", fields("x"), r -> r.version() == a.version()))
                .isInstanceOf(FakeRecordStore.PreconditionFailed.class);
        assertThat(store.get("c", "a").orElseThrow().fields().get("name").asText()).isEqualTo("b");
    }

    @Test
    void deleteLeavesATombstoneStampedWithTheDeletionTime() {
        store.create("c", "a", fields("a"));
        clock.advance(Duration.ofMinutes(5));
        StoredRecord tomb = store.delete("c", "a");
        assertThat(tomb.deleted()).isTrue();
        assertThat(tomb.deletedAt()).isEqualTo(clock.instant());
        assertThat(store.get("c", "a")).isEmpty();
        assertThat(store.scan("c", null, 10, FakeRecordStore.Visibility.DELETED).records()).containsExactly(tomb);
        assertThat(store.scan("c", null, 10, FakeRecordStore.Visibility.LIVE).records()).isEmpty();
    }

    @Test
    void deletedRecordsCannotBeChangedOrRecreated() {
        store.create("c", "a", fields("a"));
        store.delete("c", "a");
        assertThatThrownBy(() -> store.update("c", "a", fields("b"))).isInstanceOf(FakeRecordStore.NoSuchRecord.class);
        assertThatThrownBy(() -> store.delete("c", "a")).isInstanceOf(FakeRecordStore.NoSuchRecord.class);
        assertThatThrownBy(() -> store.create("c", "a", fields("a"))).isInstanceOf(FakeRecordStore.DuplicateId.class);
    }

    @Test
    void purgingTombstonesRemembersTheHorizon() {
        store.create("c", "a", fields("a"));
        store.delete("c", "a");
        clock.advance(Duration.ofDays(2));
        assertThat(store.purgeTombstones("c", clock.instant().minus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(store.scan("c", null, 10, FakeRecordStore.Visibility.DELETED).records()).isEmpty();
        assertThat(store.purgedBefore("c")).contains(clock.instant().minus(Duration.ofDays(1)));
    }

    @Test
    void changeFeedIsInVersionOrderIncludingTombstones() {
        StoredRecord a = store.create("c", "a", fields("a"));
        store.create("c", "b", fields("b"));
        long mark = store.version();
        store.update("c", "a", fields("a2"));
        store.delete("c", "b");
        FakeRecordStore.Slice changes = store.changesAfter("c", mark, 10);
        assertThat(changes.records()).extracting(StoredRecord::id, StoredRecord::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", false), org.assertj.core.groups.Tuple.tuple("b", true));
        assertThat(changes.storeVersion()).isEqualTo(store.version()).isGreaterThan(a.version());
    }

    @Test
    void fieldsHandedOutAreCopies() {
        StoredRecord a = store.create("c", "a", fields("a"));
        a.fields().put("name", "mutated");
        assertThat(store.get("c", "a").orElseThrow().fields().get("name").asText()).isEqualTo("a");
    }

    @Test
    void listenersHearEveryChange() {
        List<StoredRecord> heard = new ArrayList<>();
        store.addListener(heard::add);
        store.create("c", "a", fields("a"));
        store.update("c", "a", fields("b"));
        store.delete("c", "a");
        assertThat(heard).extracting(StoredRecord::deleted).containsExactly(false, false, true);
    }

    @Test
    void pagedScansVisitEveryRecordOnceWhateverTheStampPattern() {
        long seed = System.nanoTime();
        System.out.println("FakeRecordStoreTest seed=" + seed);
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(store.create("c", fields("r" + i)).id());
            if (random.nextInt(4) == 0) {
                clock.advance(Duration.ofMillis(random.nextInt(3)));
            }
        }
        List<String> seen = new ArrayList<>();
        Watermark after = null;
        int limit = 1 + random.nextInt(20);
        FakeRecordStore.Slice slice;
        do {
            slice = store.scan("c", after, limit, FakeRecordStore.Visibility.LIVE);
            slice.records().forEach(r -> seen.add(r.id()));
            after = slice.last();
        } while (slice.hasMore());
        assertThat(seen).as("seed %d, page size %d", seed, limit).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
    }
}
