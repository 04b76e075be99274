package com.castiel.sync.outbound;

import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteRequest;
import java.util.Objects;

/** What write-back does for one shard's coalesced change, as decided by {@link WriteBackPlanner}. */
sealed interface RecordPlan {

    /** Send {@code request}; on success record {@code resolution}. */
    record Write(WriteRequest request, Resolution resolution) implements RecordPlan {
        public Write {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(resolution, "resolution");
        }

        /** Whether the request carries a precondition, so a {@code Conflict} means the record changed. */
        boolean conditional() {
            return request.ifMatch() != null || request.ifUnmodifiedSince() != null;
        }
    }

    /** Nothing to send; record {@code resolution} (a merge, a parked conflict, a refreshed base). */
    record Settle(Resolution resolution) implements RecordPlan {
        public Settle {
            Objects.requireNonNull(resolution, "resolution");
        }
    }

    /** Nothing to send and nothing to record. */
    record Skip(String reason) implements RecordPlan {
    }

    /** The change cannot be written (a value the mapping cannot convert, a record gone); fails alone. */
    record Fail(SyncException error) implements RecordPlan {
        public Fail {
            Objects.requireNonNull(error, "error");
        }
    }
}
