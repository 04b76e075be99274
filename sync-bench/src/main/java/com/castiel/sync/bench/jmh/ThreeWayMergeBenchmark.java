package com.castiel.sync.bench.jmh;

import com.castiel.sync.bench.engine.AccountIntegration;
import com.castiel.sync.conflict.MergeResult;
import com.castiel.sync.conflict.ThreeWayMerge;
import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code ThreeWayMerge.merge} of one Account's ten mapped fields: two changed only in Castiel,
 * two only in Salesforce, one on both sides (settled by {@code newest_wins}), the rest equal.
 * The per-record work of an inbound page on bidirectional links and of a write-back read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ThreeWayMergeBenchmark {

    private List<String> fields;
    private ObjectNode base;
    private ObjectNode castiel;
    private ObjectNode external;
    private final Instant castielAt = Instant.parse("2026-03-01T10:00:00Z");
    private final Instant externalAt = Instant.parse("2026-03-01T11:00:00Z");

    @Setup
    public void setUp() {
        RecordMapper mapper = new RecordMapper(AccountIntegration.MAPPING);
        fields = mapper.inboundShardFields();
        base = mapper.toShard(AccountRecords.record(7)).values();
        castiel = base.deepCopy();
        castiel.put("phone", "+1 415 555 0101");
        castiel.put("website", "https://castiel.example");
        castiel.put("name", "Acme (Castiel)");
        external = base.deepCopy();
        external.put("industry", "Retail");
        external.put("employees", 99);
        external.put("name", "Acme (Salesforce)");
    }

    @Benchmark
    public MergeResult merge() {
        return ThreeWayMerge.merge(fields, base, castiel, external, ConflictResolution.NEWEST_WINS, castielAt, externalAt);
    }
}
