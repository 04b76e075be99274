package com.castiel.sync.outbound;

import com.castiel.sync.conflict.JsonValues;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.JobQueue;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.QueuedJob;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a shard change into write-back messages on {@code sync-outbound}, one per relationship
 * that writes back, with session id = integration id so each integration's write-backs are
 * processed in order.
 *
 * <p>A relationship qualifies when its {@code syncDirection} writes back ({@code bidirectional}
 * or {@code outbound}), its integration exists and has {@code writeBack.enabled}, and its entity
 * is still mapped. Then:
 * <ul>
 *   <li>a new shard, or a relationship that has no external id yet, gives a {@code create} of
 *       every outbound field;</li>
 *   <li>a change gives an {@code update} whose {@code changedFields} are the outbound-mapped shard
 *       fields whose values differ between {@code before} and {@code after} (compared by value:
 *       {@code 1} equals {@code 1.0}, absent equals null); no differing field, no message;</li>
 *   <li>a removed or soft-deleted shard gives a {@code delete} of each linked record.</li>
 * </ul>
 *
 * <p><b>Origin tagging.</b> Changes made by the engine's own inbound sync never trigger
 * write-back: nothing is sent when {@code after.updatedBy} (or the actor) starts with
 * {@link Shard#ENGINE_ORIGIN_PREFIX}. That, together with the hash the processor leaves on the
 * relationship, is what keeps the engine from echoing changes back and forth.
 *
 * <p><b>Message ids</b> are derived from the shard, relationship, operation, changed fields and
 * the stored version of the change (its etag, or its update time when it has none), so a host
 * that calls the trigger again for the same change (a retry after a crash) has the second send
 * dropped by the queue's duplicate detection.
 *
 * <p>Call it after the change is durably stored. A crash between the store write and this call
 * loses the write-back of that change; the next change of the same fields writes them.
 *
 * <p>Thread-safe.
 */
public final class WriteBackTrigger {

    private static final String QUEUE = QueueSpec.OUTBOUND.name();
    private static final int MAPPER_CACHE_LIMIT = 1024;

    private final IntegrationStore integrations;
    private final JobQueue queue;
    private final Clock clock;
    private final Map<EntityMapping, RecordMapper> mappers = new ConcurrentHashMap<>();

    public WriteBackTrigger(IntegrationStore integrations, JobQueue queue, Clock clock) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends the write-back messages a stored shard change calls for.
     *
     * @param before the shard before the change; {@code null} when it was created
     * @param after the shard as stored after the change (with its new etag); {@code null} when it
     *     was removed
     * @param actor who made the change: a user id or {@code system}
     * @return the messages sent, in relationship order; empty when nothing qualifies
     * @throws IllegalArgumentException when both shards are null or they are different shards
     * @throws com.castiel.sync.spi.SyncException.Configuration when an integration's entity
     *     mapping cannot be compiled
     */
    public List<WriteBackMessage> onShardChanged(Shard before, Shard after, String actor) {
        if (before == null && after == null) {
            throw new IllegalArgumentException("a shard change needs a before or an after state");
        }
        if (before != null && after != null && (!before.id().equals(after.id()) || !before.tenantId().equals(after.tenantId()))) {
            throw new IllegalArgumentException("before (" + before.id() + ") and after (" + after.id() + ") are different shards");
        }
        if (isEngine(actor) || (after != null && after.changedByEngine())) {
            return List.of();
        }
        boolean deleting = after == null || (after.isDeleted() && (before == null || !before.isDeleted()));
        if (!deleting && after.isDeleted()) {
            return List.of();
        }
        Shard subject = deleting ? (before != null ? before : after) : after;
        TenantId tenant = subject.tenantId();
        Map<IntegrationId, Optional<Integration>> seen = new HashMap<>();
        List<WriteBackMessage> messages = new ArrayList<>();
        for (ExternalRelationship r : subject.externalRelationships()) {
            if (!r.writesBack()) {
                continue;
            }
            Integration integration = seen.computeIfAbsent(r.integrationId(), id -> integrations.get(tenant, id)).orElse(null);
            if (integration == null || !integration.writeBackEnabled()) {
                continue;
            }
            Optional<EntityMapping> mapping = integration.mappingForEntity(r.externalEntity());
            if (mapping.isEmpty()) {
                continue;
            }
            if (deleting) {
                if (r.externalId() != null) {
                    messages.add(message(subject, r, integration, Operation.DELETE, List.of(), actor, marker(before, after)));
                }
                continue;
            }
            ExternalRelationship prior = before == null ? null : before.externalRelationships().stream()
                    .filter(p -> p.integrationId().equals(r.integrationId()) && p.externalEntity().equals(r.externalEntity()))
                    .findFirst().orElse(null);
            List<String> changed = prior == null ? null : changedOutboundFields(mapper(mapping.get()), before, after);
            if (changed != null && changed.isEmpty()) {
                continue;
            }
            Operation op = r.externalId() == null ? Operation.CREATE : Operation.UPDATE;
            List<String> fields = op == Operation.CREATE || changed == null ? List.of() : changed;
            messages.add(message(subject, r, integration, op, fields, actor, marker(before, after)));
        }
        send(messages);
        return List.copyOf(messages);
    }

    /**
     * Sends a write-back of named fields of one relationship, whatever changed in the shard; used
     * when a conflict resolution decided that Castiel's values are to be written.
     *
     * @param shard the shard as stored
     * @param relationship the relationship to write
     * @param fields shard fields to write; empty means every outbound field
     * @param actor who asked for it
     * @param reason distinguishes this request from other requests for the same stored version
     *     (part of the message id)
     * @return the message sent, or empty when the relationship does not write back or its
     *     integration has write-back disabled
     */
    public Optional<WriteBackMessage> requestWriteBack(Shard shard, ExternalRelationship relationship, List<String> fields, String actor,
                                                       String reason) {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(relationship, "relationship");
        if (!relationship.writesBack()) {
            return Optional.empty();
        }
        Integration integration = integrations.get(shard.tenantId(), relationship.integrationId()).orElse(null);
        if (integration == null || !integration.writeBackEnabled() || integration.mappingForEntity(relationship.externalEntity()).isEmpty()) {
            return Optional.empty();
        }
        Operation op = relationship.externalId() == null ? Operation.CREATE : Operation.UPDATE;
        WriteBackMessage m = message(shard, relationship, integration, op, op == Operation.CREATE ? List.of() : fields, actor,
                reason + "|" + marker(null, shard));
        send(List.of(m));
        return Optional.of(m);
    }

    private List<String> changedOutboundFields(RecordMapper mapper, Shard before, Shard after) {
        ObjectNode was = mapper.extractOutbound(before.structuredData());
        ObjectNode now = mapper.extractOutbound(after.structuredData());
        List<String> changed = new ArrayList<>();
        for (String field : mapper.outboundShardFields()) {
            if (!JsonValues.same(was.get(field), now.get(field))) {
                changed.add(field);
            }
        }
        return changed;
    }

    private WriteBackMessage message(Shard shard, ExternalRelationship r, Integration integration, Operation op, List<String> fields,
                                     String actor, String marker) {
        String id = messageId(shard, r, op, fields, marker);
        Instant at = shard.updatedAt() != null && op != Operation.DELETE ? shard.updatedAt() : clock.instant();
        return new WriteBackMessage(shard.id(), shard.tenantId(), op, fields, integration.provider(), r.externalId(), integration.id(), at,
                actor == null || actor.isBlank() ? "system" : actor, id, 1, r.externalEntity());
    }

    private void send(List<WriteBackMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<OutgoingMessage> out = new ArrayList<>(messages.size());
        for (WriteBackMessage m : messages) {
            QueuedJob job = QueuedJob.of(m);
            out.add(new OutgoingMessage(m.correlationId(), m.integrationId().value(), job.toBytes(), m.correlationId(), null, null,
                    job.properties()));
        }
        queue.sendAll(QUEUE, out);
    }

    private static String marker(Shard before, Shard after) {
        if (after != null && !after.isDeleted()) {
            return after.etag() != null ? "etag:" + after.etag() : "at:" + after.updatedAt();
        }
        Shard gone = after != null ? after : before;
        return "deleted:" + (gone.etag() != null ? gone.etag() : String.valueOf(gone.updatedAt()));
    }

    private static String messageId(Shard shard, ExternalRelationship r, Operation op, List<String> fields, String marker) {
        String name = "writeback|" + shard.tenantId() + "|" + shard.id() + "|" + r.integrationId() + "|" + r.externalEntity() + "|"
                + op.wire() + "|" + String.join(",", fields) + "|" + marker;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private RecordMapper mapper(EntityMapping mapping) {
        RecordMapper cached = mappers.get(mapping);
        if (cached != null) {
            return cached;
        }
        if (mappers.size() >= MAPPER_CACHE_LIMIT) {
            mappers.clear();
        }
        return mappers.computeIfAbsent(mapping, RecordMapper::new);
    }

    private static boolean isEngine(String actor) {
        return actor != null && actor.startsWith(Shard.ENGINE_ORIGIN_PREFIX);
    }
}
