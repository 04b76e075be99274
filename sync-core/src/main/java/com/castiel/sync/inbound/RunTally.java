package com.castiel.sync.inbound;

import com.castiel.sync.model.RecordError;
import com.castiel.sync.model.SyncStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts of one run as it goes. Confined to the run's thread. Keeps exact counts but only the
 * first {@code maxErrors} record errors, so memory stays flat however many records fail.
 */
final class RunTally {

    private long created;
    private long updated;
    private long unchanged;
    private long deleted;
    private long skipped;
    private long failed;
    private long conflicts;
    private final int maxErrors;
    private final List<RecordError> errors = new ArrayList<>();
    private final long startSeen;

    RunTally(SyncStats start, int maxErrors) {
        this.maxErrors = maxErrors;
        created = start.created();
        updated = start.updated();
        unchanged = start.unchanged();
        deleted = start.deleted();
        skipped = start.skipped();
        failed = start.failed();
        conflicts = start.conflicts();
        startSeen = seen();
    }

    void add(long created, long updated, long unchanged, long deleted, long skipped, long conflicts) {
        this.created += created;
        this.updated += updated;
        this.unchanged += unchanged;
        this.deleted += deleted;
        this.skipped += skipped;
        this.conflicts += conflicts;
    }

    void failed(RecordError error) {
        failed++;
        if (errors.size() < maxErrors) {
            errors.add(error);
        }
    }

    SyncStats stats() {
        return new SyncStats(created, updated, unchanged, deleted, skipped, failed, conflicts);
    }

    List<RecordError> errors() {
        return List.copyOf(errors);
    }

    /** Records applied by this attempt (a resumed run starts with the counts of earlier attempts). */
    long seenThisAttempt() {
        return seen() - startSeen;
    }

    /** Records applied (any outcome) so far, earlier attempts of the run included. */
    long seen() {
        return created + updated + unchanged + deleted + skipped + failed;
    }
}
