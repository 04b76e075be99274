package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.azure.servicebus.DeadLetterHandOff;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.outbound.SessionOutcome;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardWrite;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SyncOutbound invoked directly with a session-queue message, as the host delivers it. */
class SyncOutboundTest {

    private FunctionsTestBed bed;
    private SyncOutbound function;
    private String externalId;
    private Shard shard;

    @BeforeEach
    void setUp() {
        bed = new FunctionsTestBed();
        bed.connect();
        externalId = bed.createContact("Ada", "ada@example.com");
        new SyncInboundScheduled(() -> bed.runtime).run(FunctionsTestBed.job(JobType.FULL_SYNC), "m-0", 1L, 1, "c", "lock-m-0", null, null,
                "{}", new FakeExecutionContext("SyncInboundScheduled"));
        shard = bed.shards.findByExternalIds(FunctionsTestBed.TENANT, FunctionsTestBed.INTEGRATION, "contacts", List.of(externalId))
                .get(externalId);
        function = new SyncOutbound(() -> bed.runtime);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    private SessionOutcome deliver(WriteBackMessage message, String sessionId, String properties) {
        return function.process(new TriggerMessage(SyncJson.write(message), "wb-1", 3L, 1, sessionId, message.correlationId(), "lock-wb-1",
                "2026-11-28T10:01:00Z", null, properties), new FakeExecutionContext("SyncOutbound"));
    }

    private WriteBackMessage update(ShardId id) {
        return new WriteBackMessage(id, FunctionsTestBed.TENANT, Operation.UPDATE, List.of("email", "score"), "reference", externalId,
                FunctionsTestBed.INTEGRATION, bed.clock.instant(), "user-1", "corr-wb", 1, "contacts");
    }

    @Test
    void aShardChangeIsWrittenToTheProviderAndTheMessageCompletes() {
        ObjectNode data = shard.structuredData().deepCopy().put("email", "ada@lovelace.example");
        bed.shards.write(FunctionsTestBed.TENANT, List.of(new ShardWrite.Replace(shard.withData(data, bed.clock.instant()).changedBy("user-1", bed.clock.instant()))));

        SessionOutcome outcome = deliver(update(shard.id()), FunctionsTestBed.INTEGRATION.value(), "{}");

        assertThat(outcome.written()).isEqualTo(1);
        assertThat(outcome.completed()).isEqualTo(1);
        assertThat(bed.provider.store().get("contacts", externalId).orElseThrow().fields().get("email").asText()).isEqualTo("ada@lovelace.example");
    }

    @Test
    void aWriteBackTheProviderRejectsIsHandedOffToTheDeadLetterQueue() {
        ObjectNode data = shard.structuredData().deepCopy();
        data.putNull("name");
        bed.shards.write(FunctionsTestBed.TENANT, List.of(new ShardWrite.Replace(shard.withData(data, bed.clock.instant()).changedBy("user-1", bed.clock.instant()))));
        WriteBackMessage message = new WriteBackMessage(shard.id(), FunctionsTestBed.TENANT, Operation.UPDATE, List.of("name"), "reference",
                externalId, FunctionsTestBed.INTEGRATION, bed.clock.instant(), "user-1", "corr-wb", 1, "contacts");

        SessionOutcome outcome = deliver(message, FunctionsTestBed.INTEGRATION.value(), "{}");

        assertThat(outcome.deadLettered()).isEqualTo(1);
        LockedMessage handOff = bed.queue.acceptSession(QueueSpec.OUTBOUND.name(), java.time.Duration.ZERO).orElseThrow()
                .receive(java.time.Duration.ZERO).orElseThrow();
        assertThat(handOff.sessionId()).isEqualTo(FunctionsTestBed.INTEGRATION.value());
        assertThat(handOff.properties()).containsKey(DeadLetterHandOff.REASON_PROPERTY);
    }

    @Test
    void theHostEntryPointCompletesAWriteBackByReturning() {
        ObjectNode data = shard.structuredData().deepCopy().put("score", 9);
        bed.shards.write(FunctionsTestBed.TENANT, List.of(new ShardWrite.Replace(shard.withData(data, bed.clock.instant()).changedBy("user-1", bed.clock.instant()))));
        WriteBackMessage message = update(shard.id());

        function.run(SyncJson.write(message), "wb-2", 4L, 1, FunctionsTestBed.INTEGRATION.value(), "corr-wb", "lock-wb-2", null, null, "{}",
                new FakeExecutionContext("SyncOutbound"));

        assertThat(bed.provider.store().get("contacts", externalId).orElseThrow().fields().get("score").asInt()).isEqualTo(9);
    }

    @Test
    void aHandOffCopyIsRefused() {
        String properties = "{\"" + DeadLetterHandOff.REASON_PROPERTY + "\":\"NOT_FOUND\"}";

        assertThatThrownBy(() -> deliver(update(shard.id()), FunctionsTestBed.INTEGRATION.value(), properties))
                .isInstanceOf(RedeliveryRequested.class);
    }
}
