package com.castiel.sync.inbound;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.WebhookPayload;
import java.util.List;
import java.util.Objects;

/**
 * One inbound job as the pipeline runs it: the loaded integration plus the message's intent.
 *
 * @param integration the integration, as loaded for this job
 * @param jobType full, incremental or webhook
 * @param entities entities to sync; empty means all mapped entities
 * @param webhookPayload the verified payload, for webhook jobs
 * @param correlationId correlation id
 * @param attempt job attempt
 * @param guard checked before each page write and the sweep of scheduled runs
 */
public record InboundJob(Integration integration, JobType jobType, List<String> entities, WebhookPayload webhookPayload,
                         String correlationId, int attempt, RunGuard guard) {

    /** A job without a guard. */
    public InboundJob(Integration integration, JobType jobType, List<String> entities, WebhookPayload webhookPayload,
                      String correlationId, int attempt) {
        this(integration, jobType, entities, webhookPayload, correlationId, attempt, RunGuard.NONE);
    }

    public InboundJob {
        Objects.requireNonNull(integration, "integration");
        Objects.requireNonNull(jobType, "jobType");
        entities = entities == null ? List.of() : List.copyOf(entities);
        guard = guard == null ? RunGuard.NONE : guard;
        if (jobType == JobType.WEBHOOK && webhookPayload == null) {
            throw new IllegalArgumentException("webhook jobs need a payload");
        }
    }
}
