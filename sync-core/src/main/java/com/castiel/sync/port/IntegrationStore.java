package com.castiel.sync.port;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where integrations live. Updates are conditional on {@link Integration#version()} so that two
 * schedulers (or a scheduler and an operator) never overwrite each other.
 *
 * <p>Implementations are thread-safe and every write is durable when the method returns.
 * Arguments are never {@code null}; absent results are empty {@link Optional}s or lists. Backend
 * failures other than conflicts surface as unchecked exceptions, which the engine treats as
 * transient.
 */
public interface IntegrationStore {

    Optional<Integration> get(TenantId tenant, IntegrationId id);

    /** Resolves a webhook endpoint key (unique across tenants) to its integration. */
    Optional<Integration> findByEndpointKey(String endpointKey);

    /**
     * Inserts a new integration with version 1.
     *
     * @throws StoreConflictException when the id or endpoint key exists
     */
    Integration create(Integration integration);

    /**
     * Replaces an integration if its stored version still equals {@code integration.version()}.
     *
     * @return the stored integration with the version incremented
     * @throws StoreConflictException when the stored version differs (someone else won), when the
     *     integration no longer exists in {@code integration.tenantId()}, or when its new webhook
     *     endpoint key is held by another integration
     */
    Integration update(Integration integration);

    /**
     * Active integrations whose {@code nextSyncAt} is at or before {@code now} (or unset), oldest
     * due first, at most {@code limit}. Backed by an index on (status, nextSyncAt).
     */
    List<Integration> findDue(Instant now, int limit);

    List<Integration> list(TenantId tenant);

    /** Every integration across tenants, ordered by id, paged (for admin tools and refreshers). */
    List<Integration> listAll(IntegrationId afterId, int limit);

    void delete(TenantId tenant, IntegrationId id);
}
