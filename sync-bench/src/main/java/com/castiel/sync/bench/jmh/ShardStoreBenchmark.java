package com.castiel.sync.bench.jmh;

import com.castiel.sync.bench.engine.AccountIntegration;
import com.castiel.sync.bench.process.DataDirs;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.standalone.store.EmbeddedStorage;
import com.castiel.sync.transform.MappedValues;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The embedded SQLite shard store with one inbound page of 2,000 Account shards: writing them
 * as new shards (one {@code ShardStore.write}: serialise, check, batched inserts, commit), and
 * looking 2,000 up by external id in a store of 20,000 (one {@code findByExternalIds}: IN-list
 * query, documents parsed back into shards).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ShardStoreBenchmark {

    private static final int PAGE = 2000;
    private static final IntegrationId INTEGRATION = IntegrationId.of("jmh-store");

    private Path dir;
    private EmbeddedStorage storage;
    private RecordMapper mapper;
    private int nextRecord;
    private final List<List<String>> lookupPages = new ArrayList<>();
    private int nextLookup;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("castiel-jmh-store");
        storage = EmbeddedStorage.open(dir.resolve("data"), Clock.systemUTC());
        mapper = new RecordMapper(AccountIntegration.MAPPING);
        for (int p = 0; p < 10; p++) {
            List<String> ids = new ArrayList<>(PAGE);
            storage.shards().write(AccountIntegration.TENANT, page(ids));
            lookupPages.add(ids);
        }
    }

    /** The next 2,000 Accounts as new shards, linked as the inbound pipeline links them. */
    List<ShardWrite> page(List<String> externalIds) {
        Instant now = Instant.now();
        List<ShardWrite> writes = new ArrayList<>(PAGE);
        for (int i = 0; i < PAGE; i++) {
            ExternalRecord r = AccountRecords.record(nextRecord++);
            MappedValues mapped = mapper.toShard(r);
            ExternalRelationship rel = ExternalRelationship.link("salesforce", INTEGRATION, "Account", r.id(), SyncDirection.INBOUND)
                    .synced(now, mapped.values(), mapped.hash(), r.version(), r.modifiedAt());
            ObjectNode data = mapper.applyTo(SyncJson.object(), mapped.values());
            writes.add(new ShardWrite.Insert(new Shard(ShardId.of(Ids.timeOrdered(now)), AccountIntegration.TENANT, "company", data,
                    List.of(rel), now, now, null, null, Shard.ENGINE_ORIGIN_PREFIX + INTEGRATION)));
            if (externalIds != null) {
                externalIds.add(r.id());
            }
        }
        return writes;
    }

    /** The page the next insert writes, built outside the measured call (Invocation level is fine for calls of milliseconds). */
    @State(Scope.Thread)
    public static class NextPage {
        List<ShardWrite> writes;

        @Setup(Level.Invocation)
        public void build(ShardStoreBenchmark store) {
            writes = store.page(null);
        }
    }

    @Benchmark
    public List<Shard> insertPageOf2000(NextPage next) {
        return storage.shards().write(AccountIntegration.TENANT, next.writes);
    }

    @Benchmark
    public Map<String, Shard> lookUpPageOf2000() {
        List<String> ids = lookupPages.get(nextLookup++ % lookupPages.size());
        return storage.shards().findByExternalIds(AccountIntegration.TENANT, INTEGRATION, "Account", ids);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        storage.close();
        DataDirs.delete(dir);
    }
}
