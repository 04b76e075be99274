package com.castiel.sync.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A write-back parked by the {@code manual} conflict policy: nothing was overwritten on either
 * side, and the relationship stays in {@code conflict} until resolved through the core API.
 *
 * @param fields the fields changed on both sides
 * @param externalVersion external version seen when the conflict was detected
 * @param detectedAt when it was detected
 */
public record PendingConflict(List<FieldConflict> fields, String externalVersion, Instant detectedAt) {

    public PendingConflict {
        fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
        Objects.requireNonNull(detectedAt, "detectedAt");
    }
}
