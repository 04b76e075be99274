package com.castiel.sync.bench.jmh;

import com.castiel.sync.bench.engine.AccountIntegration;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.transform.MappedValues;
import com.castiel.sync.transform.RecordMapper;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code RecordMapper.toShard}: one Salesforce Account (ten mapped fields of four types, one
 * nested shard path) mapped to shard values and content-hashed, the per-record work of every
 * inbound page.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecordMappingBenchmark {

    private RecordMapper mapper;
    private ExternalRecord[] records;
    private int next;

    @Setup
    public void setUp() {
        mapper = new RecordMapper(AccountIntegration.MAPPING);
        records = new ExternalRecord[1024];
        for (int i = 0; i < records.length; i++) {
            records[i] = AccountRecords.record(i);
        }
    }

    @Benchmark
    public MappedValues toShardWithHash() {
        ExternalRecord r = records[next++ & (records.length - 1)];
        return mapper.toShard(r);
    }
}
