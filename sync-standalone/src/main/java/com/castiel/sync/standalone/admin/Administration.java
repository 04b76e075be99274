package com.castiel.sync.standalone.admin;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.event.SyncEvent;
import com.castiel.sync.metrics.Alert;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.DeadLetterEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's actions over one engine, shared by the admin HTTP API and the command line so
 * both behave the same: list and show integrations, trigger a sync, read the history, look up
 * shards, review dead letters, read alerts, queue depths and recent events.
 *
 * <p>Unknown integrations raise {@link UnknownResourceException}; unknown queue names and invalid
 * arguments raise {@link IllegalArgumentException}. Thread-safe if the engine's ports are.
 */
public final class Administration {

    /** Dead letters shown per queue unless asked otherwise. */
    public static final int DEFAULT_LIMIT = 50;

    private final SyncEngine engine;
    private final IntegrationDirectory directory;
    private final RecentEvents events;

    /** @param events the recent events, or {@code null} when none are kept (command-line tools) */
    public Administration(SyncEngine engine, RecentEvents events) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.directory = new IntegrationDirectory(engine.ports().integrations());
        this.events = events;
    }

    public SyncEngine engine() {
        return engine;
    }

    public IntegrationDirectory directory() {
        return directory;
    }

    /** Every integration with its last run. */
    public List<IntegrationSummary> integrations() {
        return directory.all().stream().map(this::summary).toList();
    }

    /** One integration's summary. */
    public IntegrationSummary summary(String id) {
        return summary(integration(id));
    }

    /** The integration document (no secrets live in it). */
    public Integration integration(String id) {
        return directory.find(id).orElseThrow(() -> new UnknownResourceException("no integration '" + id + "' in the data directory"));
    }

    /** Whether credentials are stored, and until when the access token is valid; never the values. */
    public CredentialStatus credentialStatus(String id) {
        Integration i = integration(id);
        return engine.ports().credentials().get(i.tenantId(), i.id())
                .map(c -> new CredentialStatus(true, c.accessToken() != null, c.refreshToken() != null, c.expiresAt(),
                        List.copyOf(new java.util.TreeSet<>(c.properties().keySet()))))
                .orElse(new CredentialStatus(false, false, false, null, List.of()));
    }

    /**
     * Queues a sync now.
     *
     * @param jobType {@code full_sync}, {@code incremental}, or {@code null} to let the schedule decide
     * @throws IllegalStateException when the integration is not active
     */
    public SyncJobMessage requestSync(String id, JobType jobType, String actor) {
        Integration i = integration(id);
        return engine.scheduler().requestSync(i.tenantId(), i.id(), jobType, actor);
    }

    /** The newest runs, newest first. */
    public List<SyncRun> history(String id, int limit) {
        requirePositive(limit);
        Integration i = integration(id);
        return engine.ports().runs().history(i.tenantId(), i.id(), limit);
    }

    /**
     * The shard linked to an external record.
     *
     * @param entity external entity, or {@code null} to try every mapped entity
     */
    public Optional<Shard> shardByExternalId(String integrationId, String entity, String externalId) {
        Integration i = integration(integrationId);
        List<String> entities = entity != null ? List.of(entity)
                : i.structuredData().entityMappings().stream().map(EntityMapping::externalEntity).toList();
        for (String e : entities) {
            Shard s = engine.ports().shards().findByExternalIds(i.tenantId(), i.id(), e, List.of(externalId)).get(externalId);
            if (s != null) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Optional<Shard> shard(String tenant, String shardId) {
        return engine.ports().shards().get(TenantId.of(tenant), ShardId.of(shardId));
    }

    /** Live shards of a tenant, of one type or ({@code null}) all types. */
    public long shardCount(String tenant, String shardTypeId) {
        return engine.ports().shards().count(TenantId.of(tenant), shardTypeId);
    }

    /** Counts of the three work queues, read now. */
    public Map<String, JobQueue.QueueStats> queues() {
        Map<String, JobQueue.QueueStats> out = new LinkedHashMap<>();
        for (QueueSpec q : QueueSpec.ALL) {
            out.put(q.name(), engine.ports().queue().stats(q.name()));
        }
        return out;
    }

    /**
     * The oldest dead letters.
     *
     * @param queue a work queue name, or {@code null} for all three
     */
    public List<DeadLetterEntry> deadLetters(String queue, int limit) {
        requirePositive(limit);
        List<DeadLetterEntry> out = new ArrayList<>();
        for (String q : queues(queue)) {
            out.addAll(engine.deadLetters().list(q, limit));
        }
        return out;
    }

    public boolean replay(String queue, long sequenceNumber) {
        return engine.deadLetters().replay(QueueSpec.named(queue).name(), sequenceNumber);
    }

    public int replayAll(String queue, int limit) {
        requirePositive(limit);
        int n = 0;
        for (String q : queues(queue)) {
            n += engine.deadLetters().replayAll(q, limit);
        }
        return n;
    }

    public boolean purge(String queue, long sequenceNumber) {
        return engine.deadLetters().purge(QueueSpec.named(queue).name(), sequenceNumber);
    }

    public int purgeAll(String queue) {
        int n = 0;
        for (String q : queues(queue)) {
            n += engine.deadLetters().purgeAll(q);
        }
        return n;
    }

    /** The alerts that hold now, after sampling the queues. */
    public List<Alert> alerts() {
        engine.metrics().sampleQueues(engine.ports().queue(), QueueSpec.ALL.stream().map(QueueSpec::name).toList());
        return engine.alerts().evaluate();
    }

    /** The newest events, newest first; empty when this process keeps none. */
    public List<SyncEvent> events(int limit) {
        requirePositive(limit);
        return events == null ? List.of() : events.newest(limit);
    }

    /** Everything the dashboard shows, in one read. */
    public Overview overview() {
        Map<String, JobQueue.QueueStats> queues = queues();
        long deadLetters = queues.values().stream().mapToLong(JobQueue.QueueStats::deadLettered).sum();
        return new Overview(integrations(), queues, deadLetters, alerts(), events(20));
    }

    private IntegrationSummary summary(Integration i) {
        SyncRun last = engine.ports().runs().history(i.tenantId(), i.id(), 1).stream().findFirst().orElse(null);
        return IntegrationSummary.of(i, last);
    }

    private static List<String> queues(String queue) {
        if (queue == null || queue.isBlank()) {
            return QueueSpec.ALL.stream().map(QueueSpec::name).toList();
        }
        return List.of(QueueSpec.named(queue).name());
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /**
     * Stored credentials, described without their values.
     *
     * @param stored whether any are stored
     * @param hasAccessToken whether an access token is held
     * @param hasRefreshToken whether a refresh token is held
     * @param expiresAt access-token expiry when known
     * @param propertyNames names of the other secrets held
     */
    public record CredentialStatus(boolean stored, boolean hasAccessToken, boolean hasRefreshToken, java.time.Instant expiresAt,
                                   List<String> propertyNames) {
    }

    /**
     * The dashboard's data.
     *
     * @param integrations every integration with its last run
     * @param queues queue counts
     * @param deadLetters dead letters over all queues
     * @param alerts alerts that hold now
     * @param recentEvents newest events
     */
    public record Overview(List<IntegrationSummary> integrations, Map<String, JobQueue.QueueStats> queues, long deadLetters,
                           List<Alert> alerts, List<SyncEvent> recentEvents) {
    }
}
