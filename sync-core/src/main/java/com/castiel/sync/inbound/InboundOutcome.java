package com.castiel.sync.inbound;

import com.castiel.sync.model.SyncRun;

/**
 * What an inbound run did.
 *
 * @param run the run as recorded in the history
 * @param fullScanCompleted every entity of the run finished a verified complete full scan
 * @param fullResyncRequired a delete feed no longer covers the watermark: the next sync must be
 *     a full scan with a sweep
 * @param truncated the run stopped at {@code maxRecordsPerSync} and left a checkpoint; a
 *     continuation job resumes it
 */
public record InboundOutcome(SyncRun run, boolean fullScanCompleted, boolean fullResyncRequired, boolean truncated) {
}
