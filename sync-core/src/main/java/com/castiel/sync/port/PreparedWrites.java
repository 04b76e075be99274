package com.castiel.sync.port;

import com.castiel.sync.model.TenantId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A shard batch made ready for {@link ShardStore#write(PreparedWrites)} by
 * {@link ShardStore#prepare}: the batch itself, and, when a store prepared it, that store's own
 * form of it (serialised documents, rows to bind). Only the store that prepared a batch reads its
 * form; any other store writes the batch as if it had not been prepared.
 *
 * <p>Immutable as far as this class goes; the writes are the caller's and must not change after
 * preparing.
 */
public final class PreparedWrites {

    private final TenantId tenant;
    private final List<ShardWrite> writes;
    private final ShardStore preparedBy;
    private final Object form;

    private PreparedWrites(TenantId tenant, List<ShardWrite> writes, ShardStore preparedBy, Object form) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.writes = List.copyOf(Objects.requireNonNull(writes, "writes"));
        this.preparedBy = preparedBy;
        this.form = form;
    }

    /** A batch with nothing done ahead: written exactly as {@link ShardStore#write(TenantId, List)} writes it. */
    public static PreparedWrites unprepared(TenantId tenant, List<ShardWrite> writes) {
        return new PreparedWrites(tenant, writes, null, null);
    }

    /** A batch {@code store} prepared, with its own form of it. */
    public static PreparedWrites preparedBy(ShardStore store, TenantId tenant, List<ShardWrite> writes, Object form) {
        return new PreparedWrites(tenant, writes, Objects.requireNonNull(store, "store"), Objects.requireNonNull(form, "form"));
    }

    public TenantId tenant() {
        return tenant;
    }

    public List<ShardWrite> writes() {
        return writes;
    }

    /**
     * The form {@code store} made of this batch, when that very store prepared it and the form is
     * a {@code type}; otherwise empty, and the store writes {@link #writes()} as they are.
     */
    public <T> Optional<T> formFor(ShardStore store, Class<T> type) {
        return preparedBy == store && type.isInstance(form) ? Optional.of(type.cast(form)) : Optional.empty();
    }

    @Override
    public String toString() {
        return "PreparedWrites[" + writes.size() + " writes for " + tenant + (preparedBy == null ? ", unprepared]" : "]");
    }
}
