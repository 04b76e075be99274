package com.castiel.sync.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueuedJobTest {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private final SyncJobMessage inbound = new SyncJobMessage(IntegrationId.of("int-1"), TenantId.of("t1"), JobType.INCREMENTAL,
            "salesforce", null, List.of("Account"), T0, 4, "corr-1", "scheduler");
    private final WriteBackMessage outbound = new WriteBackMessage(ShardId.of("shard-1"), TenantId.of("t1"), Operation.UPDATE,
            List.of("name"), "salesforce", "001A", IntegrationId.of("int-1"), T0, "user-7", "corr-2", 3);

    @Test
    void an_inbound_job_is_recognised_by_its_job_type() {
        QueuedJob job = QueuedJob.decode(SyncJson.writeBytes(inbound));

        assertThat(job).isEqualTo(QueuedJob.of(inbound));
    }

    @Test
    void a_write_back_is_recognised_by_its_shard_id() {
        QueuedJob job = QueuedJob.decode(SyncJson.writeBytes(outbound));

        assertThat(job).isEqualTo(QueuedJob.of(outbound));
        assertThat(job.provider()).isEqualTo("salesforce");
    }

    @Test
    void the_next_attempt_counts_up_and_a_replay_starts_again_at_one() {
        Instant later = T0.plusSeconds(40);

        QueuedJob next = QueuedJob.of(inbound).nextAttempt(later);
        QueuedJob replayed = QueuedJob.of(inbound).replayed(later);

        assertThat(next.attempt()).isEqualTo(5);
        assertThat(((SyncJobMessage) next.message()).scheduledAt()).isEqualTo(later);
        assertThat(replayed.attempt()).isEqualTo(1);
        assertThat(QueuedJob.of(outbound).nextAttempt(later).attempt()).isEqualTo(4);
        assertThat(QueuedJob.of(outbound).replayed(later).attempt()).isEqualTo(1);
    }

    @Test
    void properties_name_tenant_integration_and_kind() {
        assertThat(QueuedJob.of(inbound).properties())
                .containsEntry("tenantId", "t1").containsEntry("integrationId", "int-1").containsEntry("jobType", "incremental");
        assertThat(QueuedJob.of(outbound).properties()).containsEntry("operation", "update");
    }

    @Test
    void a_body_that_is_no_job_is_rejected_with_the_reason() {
        assertThatThrownBy(() -> QueuedJob.decode("{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobType").hasMessageContaining("shardId");
        assertThatThrownBy(() -> QueuedJob.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueuedJob.decode("{\"jobType\":\"incremental\",\"tenantId\":\"t1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("integrationId");
    }
}
