package com.castiel.sync.standalone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.standalone.store.sqlite.SqliteDatabase;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendGroupCommitTest {

    @TempDir
    Path dir;

    private SqliteDatabase db;
    private final List<List<String>> groups = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(dir.resolve("t.db"), MutableClock.at("2025-01-15T10:00:00Z"), 1);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void requestsThatQueueWhileAGroupIsWrittenAreCommittedTogetherInTheNextGroup() throws Exception {
        CountDownLatch firstGroupWriting = new CountDownLatch(1);
        AtomicReference<SendGroupCommit<String>> commit = new AtomicReference<>();
        commit.set(new SendGroupCommit<>(db, (c, group) -> {
            groups.add(List.copyOf(group));
            if (group.contains("first")) {
                firstGroupWriting.countDown();
                waitUntil(() -> commit.get().waiting() == 10);
            }
        }));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = pool.submit(() -> commit.get().commit("first"));
            assertThat(firstGroupWriting.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String request = "r" + i;
                others.add(pool.submit(() -> commit.get().commit(request)));
            }
            first.get(10, TimeUnit.SECONDS);
            for (Future<?> f : others) {
                f.get(10, TimeUnit.SECONDS);
            }
        }

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).containsExactly("first");
        assertThat(groups.get(1)).containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9");
    }

    @Test
    void aRequestThatFailsFailsAloneAndTheRestOfItsGroupIsCommitted() throws Exception {
        CountDownLatch firstGroupWriting = new CountDownLatch(1);
        AtomicReference<SendGroupCommit<String>> commit = new AtomicReference<>();
        List<String> committed = new CopyOnWriteArrayList<>();
        commit.set(new SendGroupCommit<>(db, (c, group) -> {
            groups.add(List.copyOf(group));
            if (group.contains("first")) {
                firstGroupWriting.countDown();
                waitUntil(() -> commit.get().waiting() == 3);
            }
            if (group.contains("bad")) {
                throw new IllegalArgumentException("bad request");
            }
            committed.addAll(group);
        }));
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = pool.submit(() -> commit.get().commit("first"));
            assertThat(firstGroupWriting.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> good1 = pool.submit(() -> commit.get().commit("good-1"));
            Future<?> bad = pool.submit(() -> commit.get().commit("bad"));
            Future<?> good2 = pool.submit(() -> commit.get().commit("good-2"));
            first.get(10, TimeUnit.SECONDS);
            good1.get(10, TimeUnit.SECONDS);
            good2.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        }

        assertThat(committed).containsExactlyInAnyOrder("first", "good-1", "good-2");
        assertThat(groups.get(1)).as("the shared group was tried first").containsExactlyInAnyOrder("good-1", "bad", "good-2");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not reached within 10 s");
            }
            Thread.onSpinWait();
        }
    }
}
