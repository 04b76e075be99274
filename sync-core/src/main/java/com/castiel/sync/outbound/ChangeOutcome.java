package com.castiel.sync.outbound;

import com.castiel.sync.model.Operation;
import java.util.List;
import java.util.Objects;

/** How one coalesced change ended in one processing attempt; decides how its messages are settled. */
sealed interface ChangeOutcome {

    /**
     * Done: the messages are completed.
     *
     * @param operation what was written ({@code null} when nothing was decided, e.g. skipped)
     * @param written whether a provider write succeeded
     * @param conflicts fields found changed on both sides
     * @param parked fields parked for manual resolution
     * @param externalId the record's id after the change, when linked
     * @param note why nothing was written, for logs; {@code null} otherwise
     */
    record Completed(Operation operation, boolean written, int conflicts, List<String> parked, String externalId, String note)
            implements ChangeOutcome {
        public Completed {
            parked = List.copyOf(parked);
        }

        static Completed skipped(String note) {
            return new Completed(null, false, 0, List.of(), null, note);
        }
    }

    /** The change cannot succeed (validation, gone, refused): its messages are dead-lettered with the reason. */
    record Failed(Operation operation, RuntimeException error) implements ChangeOutcome {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /** A transient failure: the change is tried again, in order, after a backoff. */
    record Retry(RuntimeException error) implements ChangeOutcome {
        public Retry {
            Objects.requireNonNull(error, "error");
        }
    }
}
