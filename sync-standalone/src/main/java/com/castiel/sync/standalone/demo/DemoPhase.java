package com.castiel.sync.standalone.demo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one phase of the demo did, as {@code demo --json} prints it (one object per line).
 *
 * @param phase {@code full_sync}, {@code webhook}, {@code write_back}, {@code incremental_sync}
 *     or {@code verify}
 * @param created shards created (for {@code verify}: 0)
 * @param updated shards updated, or for {@code write_back} external records updated
 * @param unchanged records read and found unchanged (for {@code verify}: records that agree)
 * @param deleted shards deleted (for {@code verify}: live shards without a record in the provider)
 * @param failed records that failed (for {@code verify}: records that disagree or are missing)
 * @param requests HTTP requests the fake provider answered during the phase
 * @param durationMs wall time
 * @param story the phase in plain words (not part of the JSON)
 */
@JsonPropertyOrder({"phase", "created", "updated", "unchanged", "deleted", "failed", "requests", "durationMs"})
public record DemoPhase(String phase, long created, long updated, long unchanged, long deleted, long failed, long requests, long durationMs,
                        @JsonIgnore String story) {
}
