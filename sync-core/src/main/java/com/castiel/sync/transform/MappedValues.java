package com.castiel.sync.transform;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The shard-side values of one external record, as {@link RecordMapper#toShard} produced them.
 *
 * @param values flat object keyed by shard field path ({@code finance.revenue}), in mapping order;
 *     treat as immutable
 * @param hash {@link RecordMapper#hash} of {@code values}: equal for unchanged content
 */
public record MappedValues(ObjectNode values, String hash) {

    public MappedValues {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(hash, "hash");
    }
}
