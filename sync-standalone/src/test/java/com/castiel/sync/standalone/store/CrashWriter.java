package com.castiel.sync.standalone.store;

import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardWrite;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child process of {@link CrashSafetyTest}: writes pages of shards and queue messages in a
 * loop and reports on stdout each write that returned (that is, committed), until it is killed or
 * has written {@code maxPages} pages.
 *
 * <p>Protocol lines: {@code PAGE <n>} after page n's shard batch returned; {@code MSG <id>} after
 * one {@code send} returned; {@code BATCH <n>} after page n's {@code sendAll} returned. Page n
 * inserts {@value #SHARDS_PER_PAGE} shards of type {@code page-n} and, in the same batch, renames
 * the first {@value #REPLACED_PER_PAGE} shards of page n-1 to {@code v2}.
 *
 * <p>Arguments: data directory, first page number, number of pages.
 */
public final class CrashWriter {

    static final TenantId TENANT = TenantId.of("crash-tenant");
    static final IntegrationId INTEGRATION = IntegrationId.of("crash-int");
    static final String ENTITY = "Account";
    static final int SHARDS_PER_PAGE = 200;
    static final int REPLACED_PER_PAGE = 50;
    static final int SENDS_PER_PAGE = 16;
    static final int BATCH_SIZE = 10;

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        int pages = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        String webhook = QueueSpec.INBOUND_WEBHOOK.name();
        try (EmbeddedStorage storage = EmbeddedStorage.open(StorageSettings.of(dir, Clock.systemUTC()).withEnvironment(name -> null));
             ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int page = first; page < first + pages; page++) {
                List<ShardWrite> writes = new ArrayList<>();
                for (int i = 0; i < SHARDS_PER_PAGE; i++) {
                    writes.add(new ShardWrite.Insert(shard(page, i, "v1")));
                }
                if (page > first) {
                    for (int i = 0; i < REPLACED_PER_PAGE; i++) {
                        writes.add(new ShardWrite.Replace(shard(page - 1, i, "v2")));
                    }
                }
                storage.shards().write(TENANT, writes);
                report(out, "PAGE " + page);

                List<Future<?>> sent = new ArrayList<>();
                for (int k = 0; k < SENDS_PER_PAGE; k++) {
                    String id = "msg-" + page + "-" + k;
                    sent.add(senders.submit(() -> {
                        storage.queue().send(webhook, OutgoingMessage.of(id, ("{\"page\":" + id + "}").getBytes(StandardCharsets.UTF_8)));
                        report(out, "MSG " + id);
                    }));
                }
                List<OutgoingMessage> batch = new ArrayList<>();
                for (int k = 0; k < BATCH_SIZE; k++) {
                    batch.add(OutgoingMessage.of("batch-" + page + "-" + k, new byte[] {'{', '}'}));
                }
                storage.queue().sendAll(webhook, batch);
                report(out, "BATCH " + page);
                for (Future<?> f : sent) {
                    f.get();
                }
            }
        }
        report(out, "DONE");
    }

    static String shardId(int page, int i) {
        return String.format("p%06d-s%04d", page, i);
    }

    static String externalId(int page, int i) {
        return String.format("ext-%06d-%04d", page, i);
    }

    private static Shard shard(int page, int i, String version) {
        ObjectNode data = SyncJson.object();
        data.put("name", version);
        data.put("page", page);
        data.put("filler", "x".repeat(300));
        return new Shard(ShardId.of(shardId(page, i)), TENANT, "page-" + page, data,
                List.of(ExternalRelationship.link("salesforce", INTEGRATION, ENTITY, externalId(page, i), SyncDirection.BIDIRECTIONAL)),
                null, null, null, null, "crash-writer");
    }

    private static void report(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
