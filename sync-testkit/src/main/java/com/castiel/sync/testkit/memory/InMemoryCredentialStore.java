package com.castiel.sync.testkit.memory;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CredentialStore} in memory, for tests and the demo. Not encrypted: it never leaves
 * the process and is never persisted.
 *
 * <p>Credentials are immutable values swapped in one step, so a reader sees either the old or
 * the new set. {@link #expiringBefore} lists known expiries only, soonest first. Neither
 * {@link #toString()} nor any exception message shows a secret. Thread-safe.
 */
public final class InMemoryCredentialStore implements CredentialStore {

    private final Map<Key, Credentials> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<Credentials> get(TenantId tenant, IntegrationId integration) {
        return Optional.ofNullable(entries.get(new Key(tenant, integration)));
    }

    @Override
    public void put(TenantId tenant, IntegrationId integration, Credentials credentials) {
        Key key = new Key(tenant, integration);
        // Never let a message include the credentials: their toString masks tokens, but the
        // safest message is one that does not mention them.
        if (credentials == null) {
            throw new NullPointerException("credentials must not be null (integration " + integration + ")");
        }
        entries.put(key, credentials);
    }

    @Override
    public void delete(TenantId tenant, IntegrationId integration) {
        entries.remove(new Key(tenant, integration));
    }

    @Override
    public List<CredentialRef> expiringBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        return entries.entrySet().stream()
                .filter(e -> e.getValue().expiresBefore(before))
                .map(e -> new CredentialRef(e.getKey().tenant(), e.getKey().integration(), e.getValue().expiresAt()))
                .sorted(Comparator.comparing(CredentialRef::expiresAt).thenComparing(r -> r.integrationId().value()))
                .toList();
    }

    @Override
    public String toString() {
        return "InMemoryCredentialStore[" + entries.size() + " entries]";
    }

    private record Key(TenantId tenant, IntegrationId integration) {
        Key {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(integration, "integration");
        }
    }
}
