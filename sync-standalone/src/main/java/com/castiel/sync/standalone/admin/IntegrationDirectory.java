package com.castiel.sync.standalone.admin;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.port.IntegrationStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds integrations by id alone, across tenants, for operators: the standalone configuration
 * keeps integration ids unique, so an id names one integration. Reads the store page by page.
 *
 * <p>Thread-safe if the store is.
 */
public final class IntegrationDirectory {

    private static final int PAGE = 200;

    private final IntegrationStore store;

    public IntegrationDirectory(IntegrationStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Every integration, ordered by id. */
    public List<Integration> all() {
        List<Integration> out = new ArrayList<>();
        IntegrationId after = null;
        while (true) {
            List<Integration> page = store.listAll(after, PAGE);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** The integration with this id, in whichever tenant holds it. */
    public Optional<Integration> find(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        IntegrationId wanted;
        try {
            wanted = IntegrationId.of(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return all().stream().filter(i -> i.id().equals(wanted)).findFirst();
    }
}
