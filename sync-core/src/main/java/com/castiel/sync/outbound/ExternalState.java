package com.castiel.sync.outbound;

import com.castiel.sync.model.ExternalRecord;
import java.util.Objects;

/** What a write-back knows about the external record before writing it. */
sealed interface ExternalState {

    /** Not read: the policy did not need it, or the adapter cannot fetch by id. */
    ExternalState NOT_READ = new NotRead();

    /** Read and absent: the record was deleted in the provider. */
    ExternalState GONE = new Gone();

    record NotRead() implements ExternalState {
    }

    record Gone() implements ExternalState {
    }

    /** Read as it stands now. */
    record Read(ExternalRecord record) implements ExternalState {
        public Read {
            Objects.requireNonNull(record, "record");
        }
    }
}
