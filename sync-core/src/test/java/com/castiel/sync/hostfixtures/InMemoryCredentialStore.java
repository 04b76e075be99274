package com.castiel.sync.hostfixtures;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.CredentialStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A credential store in a map, counting writes and able to refuse them. Thread-safe. */
public final class InMemoryCredentialStore implements CredentialStore {

    private record Key(TenantId tenant, IntegrationId integration) {
    }

    private final Map<Key, Credentials> values = new ConcurrentHashMap<>();
    private final List<Credentials> writes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failingPuts = new AtomicInteger();

    @Override
    public Optional<Credentials> get(TenantId tenant, IntegrationId integration) {
        return Optional.ofNullable(values.get(new Key(tenant, integration)));
    }

    @Override
    public void put(TenantId tenant, IntegrationId integration, Credentials credentials) {
        if (failingPuts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("vault unavailable");
        }
        values.put(new Key(tenant, integration), credentials);
        writes.add(credentials);
    }

    @Override
    public void delete(TenantId tenant, IntegrationId integration) {
        values.remove(new Key(tenant, integration));
    }

    @Override
    public List<CredentialRef> expiringBefore(Instant before) {
        return values.entrySet().stream()
                .filter(e -> e.getValue().expiresBefore(before))
                .map(e -> new CredentialRef(e.getKey().tenant(), e.getKey().integration(), e.getValue().expiresAt()))
                .sorted(Comparator.comparing(CredentialRef::expiresAt))
                .toList();
    }

    /** Sets credentials without counting a write (test setup). */
    public void seed(TenantId tenant, IntegrationId integration, Credentials credentials) {
        values.put(new Key(tenant, integration), credentials);
    }

    /** Every successful write, in order. */
    public List<Credentials> writes() {
        synchronized (writes) {
            return List.copyOf(writes);
        }
    }

    /** The next {@code n} writes fail. */
    public void failNextPuts(int n) {
        failingPuts.set(n);
    }
}
