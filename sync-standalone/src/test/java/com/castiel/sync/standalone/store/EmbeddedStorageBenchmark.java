package com.castiel.sync.standalone.store;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardWrite;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rough throughput check of the embedded storage on this machine, run by hand (not a test, no
 * assertions): {@code java --enable-native-access=ALL-UNNAMED -cp <test classpath>
 * com.castiel.sync.standalone.store.EmbeddedStorageBenchmark [pages] [seconds]}. It writes into a
 * fresh temporary data directory and deletes it afterwards. Numbers from a shared 2-core VM are
 * noisy; compare ratios, not absolutes.
 */
public final class EmbeddedStorageBenchmark {

    private static final TenantId TENANT = TenantId.of("bench-tenant");
    private static final IntegrationId INTEGRATION = IntegrationId.of("bench-int");
    private static final int PAGE = 2_000;

    private EmbeddedStorageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("castiel-bench");
        Clock clock = Clock.systemUTC();
        try (EmbeddedStorage storage = EmbeddedStorage.open(StorageSettings.of(dir, clock).withEnvironment(n -> null))) {
            shardPages(storage, clock, pages);
            queueSends(storage.queue(), 1, seconds);
            queueSends(storage.queue(), 64, seconds);
            receiveAndComplete(storage.queue(), 16, seconds);
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void shardPages(EmbeddedStorage storage, Clock clock, int pages) {
        List<List<Shard>> written = new ArrayList<>();
        long start = System.nanoTime();
        for (int p = 0; p < pages; p++) {
            List<ShardWrite> writes = new ArrayList<>(PAGE);
            for (int i = 0; i < PAGE; i++) {
                writes.add(new ShardWrite.Insert(shard(Ids.timeOrdered(clock.instant()), p, i, "v1")));
            }
            written.add(storage.shards().write(TENANT, writes));
        }
        report("shard page insert (2,000 shards, one call)", pages, start, PAGE);

        start = System.nanoTime();
        for (List<Shard> page : written) {
            List<ShardWrite> writes = new ArrayList<>(PAGE);
            for (Shard s : page) {
                ObjectNode data = s.structuredData().deepCopy();
                data.put("name", "v2");
                writes.add(new ShardWrite.Replace(s.withData(data, clock.instant())));
            }
            storage.shards().write(TENANT, writes);
        }
        report("shard page replace (2,000 shards, etag-checked)", pages, start, PAGE);

        start = System.nanoTime();
        for (int p = 0; p < pages; p++) {
            List<String> ids = new ArrayList<>(PAGE);
            for (int i = 0; i < PAGE; i++) {
                ids.add(externalId(p, i));
            }
            if (storage.shards().findByExternalIds(TENANT, INTEGRATION, "Account", ids).size() != PAGE) {
                throw new IllegalStateException("lookup of page " + p + " is incomplete");
            }
        }
        report("findByExternalIds (2,000 ids, one call)", pages, start, PAGE);
    }

    private static void queueSends(JobQueue queue, int threads, int seconds) throws Exception {
        AtomicLong sent = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        byte[] body = ("{\"event\":\"" + "x".repeat(480) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (long n = 0; System.nanoTime() < deadline; n++) {
                        queue.send(QueueSpec.INBOUND_WEBHOOK.name(), OutgoingMessage.of("t" + threads + "-" + thread + "-" + n, body));
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("durable send, %d threads: %,.0f sends/s (%,d in %.1f s)%n", threads, sent.get() / secs, sent.get(), secs);
    }

    private static void receiveAndComplete(JobQueue queue, int threads, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        Optional<LockedMessage> m = queue.receive(QueueSpec.INBOUND_WEBHOOK.name(), Duration.ZERO);
                        if (m.isEmpty()) {
                            return null;
                        }
                        queue.complete(m.get());
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("receive + complete, %d threads: %,.0f messages/s (%,d in %.1f s)%n", threads, done.get() / secs, done.get(), secs);
    }

    private static Shard shard(String id, int page, int i, String name) {
        ObjectNode data = SyncJson.object();
        data.put("name", name);
        data.put("industry", "Manufacturing");
        data.put("annualRevenue", 1_250_000 + i);
        data.put("website", "https://example.com/" + page + "/" + i);
        data.put("billingCity", "Lyon");
        data.put("phone", "+33 4 00 00 00 00");
        data.put("description", "x".repeat(300));
        return new Shard(ShardId.of(id), TENANT, "c_company", data,
                List.of(ExternalRelationship.link("salesforce", INTEGRATION, "Account", externalId(page, i), SyncDirection.INBOUND)),
                null, null, null, null, "sync:bench-int");
    }

    private static String externalId(int page, int i) {
        return String.format("001%05d%010d", page, i);
    }

    private static void report(String what, int calls, long startNanos, int perCall) {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        System.out.printf("%s: %,.1f calls/s = %,.0f shards/s (%d calls in %.2f s)%n", what, calls / secs, calls * perCall / secs, calls, secs);
    }
}
