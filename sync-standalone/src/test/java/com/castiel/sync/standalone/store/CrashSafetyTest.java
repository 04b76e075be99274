package com.castiel.sync.standalone.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed with SIGKILL at a random point loses no write it had reported as committed,
 * and leaves no partial page: every write is one transaction. Three rounds against the same data
 * directory, each a {@link CrashWriter} child JVM killed after a random delay (the seed is
 * printed), each followed by a reopen and a full check.
 */
class CrashSafetyTest {

    private static final int ROUNDS = 3;
    private static final int PAGES_PER_ROUND = 2_000;
    private static final String WEBHOOK = QueueSpec.INBOUND_WEBHOOK.name();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aKilledWriterLosesNoCommittedWriteAndLeavesNoPartialPage() throws Exception {
        long seed = System.nanoTime();
        System.out.println("CrashSafetyTest seed=" + seed);
        Random random = new Random(seed);

        for (int round = 0; round < ROUNDS; round++) {
            int firstPage = round * 100_000;
            long killAfterMillis = 50 + random.nextInt(1_200);
            List<String> reported = runAndKill(firstPage, killAfterMillis);
            System.out.println("round " + round + ": killed " + killAfterMillis + " ms after the first commit; "
                    + reported.stream().filter(l -> l.startsWith("PAGE ")).count() + " pages reported");

            verify(firstPage, reported);
        }
    }

    private List<String> runAndKill(int firstPage, long killAfterMillis) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", classpath,
                CrashWriter.class.getName(), dir.toString(), Integer.toString(firstPage), Integer.toString(PAGES_PER_ROUND))
                .redirectErrorStream(true)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch firstCommit = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("PAGE ")) {
                        firstCommit.countDown();
                    }
                }
            } catch (IOException e) {
                // the child died mid-line: what was read is what it reported
            }
        });
        try {
            assertThat(firstCommit.await(60, TimeUnit.SECONDS)).as("the child committed a first page; output: %s", lines).isTrue();
            Thread.sleep(killAfterMillis); // real time on purpose: this picks a random point in a real process
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(lines).as("the child was killed before it finished").doesNotContain("DONE");
        // A line cut by the kill is not a report of a completed write.
        return lines.stream().filter(l -> l.matches("(PAGE|BATCH) \\d+|MSG msg-\\d+-\\d+")).toList();
    }

    private void verify(int firstPage, List<String> reported) {
        Set<Integer> pages = numbers(reported, "PAGE ");
        Set<Integer> batches = numbers(reported, "BATCH ");
        Set<String> messages = new HashSet<>();
        reported.stream().filter(l -> l.startsWith("MSG ")).forEach(l -> messages.add(l.substring(4)));
        int lastReported = pages.stream().mapToInt(Integer::intValue).max().orElseThrow();

        try (EmbeddedStorage storage = EmbeddedStorage.open(StorageSettings.of(dir, Clock.systemUTC()).withEnvironment(name -> null))) {
            assertThat(storage.checkIntegrity()).containsExactly("ok");
            ShardStore shards = storage.shards();

            // Every page is all or nothing, and every reported page is all there.
            Set<Integer> present = new HashSet<>();
            for (int page = firstPage; page <= lastReported + 1; page++) {
                long count = shards.count(CrashWriter.TENANT, "page-" + page);
                assertThat(count).as("shards of page %d", page).isIn(0L, (long) CrashWriter.SHARDS_PER_PAGE);
                if (count > 0) {
                    present.add(page);
                }
            }
            assertThat(present).as("pages present").containsAll(pages);
            for (int page : present) {
                assertPage(shards, page, present.contains(page + 1));
            }

            // Every reported send is in the queue; a sendAll is all or nothing.
            Map<String, Integer> received = drain(storage);
            assertThat(received.keySet()).as("reported sends").containsAll(messages);
            assertThat(received.values()).as("deliveries per message").allMatch(n -> n == 1);
            for (int page = firstPage; page <= lastReported + 1; page++) {
                int p = page;
                long ofBatch = IntStream.range(0, CrashWriter.BATCH_SIZE).filter(k -> received.containsKey("batch-" + p + "-" + k)).count();
                assertThat(ofBatch).as("messages of batch %d", page).isIn(0L, (long) CrashWriter.BATCH_SIZE);
                if (batches.contains(page)) {
                    assertThat(ofBatch).as("messages of reported batch %d", page).isEqualTo(CrashWriter.BATCH_SIZE);
                }
            }
        }
    }

    /** All shards of a page, linked, and renamed exactly when the next page's batch committed. */
    private static void assertPage(ShardStore shards, int page, boolean nextPagePresent) {
        List<String> externalIds = IntStream.range(0, CrashWriter.SHARDS_PER_PAGE).mapToObj(i -> CrashWriter.externalId(page, i)).toList();
        var found = shards.findByExternalIds(CrashWriter.TENANT, CrashWriter.INTEGRATION, CrashWriter.ENTITY, externalIds);
        assertThat(found).as("links of page %d", page).hasSize(CrashWriter.SHARDS_PER_PAGE);
        for (int i = 0; i < CrashWriter.REPLACED_PER_PAGE; i++) {
            String name = found.get(CrashWriter.externalId(page, i)).structuredData().get("name").asText();
            assertThat(name).as("shard %s", CrashWriter.shardId(page, i)).isEqualTo(nextPagePresent ? "v2" : "v1");
        }
    }

    private static Map<String, Integer> drain(EmbeddedStorage storage) {
        Map<String, Integer> received = new java.util.HashMap<>();
        Optional<LockedMessage> m;
        while ((m = storage.queue().receive(WEBHOOK, Duration.ZERO)).isPresent()) {
            received.merge(m.get().messageId(), 1, Integer::sum);
            storage.queue().complete(m.get());
        }
        return received;
    }

    private static Set<Integer> numbers(List<String> lines, String prefix) {
        Set<Integer> n = new HashSet<>();
        for (String l : lines) {
            if (l.startsWith(prefix)) {
                n.add(Integer.parseInt(l.substring(prefix.length())));
            }
        }
        return n;
    }
}
