package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports deletions as tombstones, from two sources:
 *
 * <ul>
 *   <li>the delete log ({@code GET /sobjects/{type}/deleted/?start=&end=}) when the watermark
 *       lies inside its window: no more than 15 days back (the adapter keeps a day's margin) and
 *       more than two minutes ago (the resource wants start and end over a minute apart, in whole
 *       minutes). It also sees records already purged from the Recycle Bin. When its
 *       {@code earliestDateAvailable} is after the watermark, deletions were lost and the feed
 *       answers {@code Validation}, so the engine falls back to a full scan with a sweep. When it
 *       would return more than 600,000 ids ({@code EXCEEDED_ID_LIMIT}), the Recycle Bin is
 *       read instead;</li>
 *   <li>otherwise {@code queryAll} with {@code IsDeleted = true} after the watermark in
 *       (SystemModstamp, Id) order, paged by {@code nextRecordsUrl}: it sees what is still in
 *       the Recycle Bin.</li>
 * </ul>
 *
 * Tombstones are stamped with the deletion time and come in ascending (time, id) order; only
 * those after the watermark are returned. Thread-safe.
 */
final class DeletedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedRecords.class);
    /** How far back the delete log is used: its 15 days, less a day of margin for its day-based window. */
    static final Duration LOG_WINDOW = Duration.ofDays(14);
    /** How recent a watermark may be for the delete log, which wants over a minute between whole-minute bounds. */
    static final Duration LOG_MIN_AGE = Duration.ofMinutes(2);

    private final SalesforceApi api;
    private final Clock clock;

    DeletedRecords(SalesforceApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    Page fetch(FetchRequest request, QueryPages pages) {
        String entity = SoqlBuilder.entity(request.entity());
        if (request.cursor() != null) {
            return pages.next(entity, request.cursor());
        }
        Watermark since = request.since();
        Instant now = clock.instant();
        if (since != null && since.stamp().isAfter(now.minus(LOG_WINDOW)) && since.stamp().isBefore(now.minus(LOG_MIN_AGE))) {
            Optional<Page> fromLog = fromDeleteLog(entity, since, now);
            if (fromLog.isPresent()) {
                return fromLog.get();
            }
        }
        return pages.first(entity, SoqlBuilder.deletedAfter(entity, since), request.pageSize(), true);
    }

    private Optional<Page> fromDeleteLog(String entity, Watermark since, Instant now) {
        HttpReply reply;
        try {
            reply = api.get(api.uri("/sobjects/" + entity + "/deleted/?start=" + SalesforceApi.encode(SalesforceDates.iso(since.stamp()))
                    + "&end=" + SalesforceApi.encode(SalesforceDates.iso(now))), Map.of());
        } catch (SyncException.Validation refused) {
            if ("EXCEEDED_ID_LIMIT".equals(refused.providerCode()) || "INVALID_REPLICATION_DATE".equals(refused.providerCode())) {
                LOG.debug("the delete log of {} refused the window ({}); reading the Recycle Bin instead", entity, refused.providerCode());
                return Optional.empty();
            }
            throw refused;
        }
        return Optional.of(tombstones(entity, SalesforceApi.json(reply, "the deleted records of " + entity), since));
    }

    /**
     * Reads a {@code deleted} answer into one page of tombstones after {@code since}.
     *
     * @throws SyncException.Validation when the log no longer reaches back to {@code since}
     */
    static Page tombstones(String entity, JsonNode body, Watermark since) {
        Optional<Instant> earliest = SalesforceDates.parse(body.path("earliestDateAvailable").asText(null));
        if (since != null && earliest.isPresent() && earliest.get().isAfter(since.stamp())) {
            throw new SyncException.Validation("the Salesforce delete log of " + entity + " starts at " + earliest.get()
                    + ", after the watermark " + since.stamp() + ": deletions in between were purged; a full sync is needed",
                    null, SyncException.Details.of(SalesforceSettings.PROVIDER, 200, "DELETE_LOG_PURGED"));
        }
        List<ExternalRecord> out = new ArrayList<>();
        for (JsonNode d : body.path("deletedRecords")) {
            Optional<String> id = SalesforceId.normalise(d.path("id").asText(null));
            Optional<Instant> at = SalesforceDates.parse(d.path("deletedDate").asText(null));
            if (id.isEmpty() || at.isEmpty()) {
                continue;
            }
            ExternalRecord tombstone = ExternalRecord.tombstone(entity, id.get(), at.get());
            if (since == null || tombstone.watermark().compareTo(since) > 0) {
                out.add(tombstone);
            }
        }
        out.sort(Comparator.comparing(ExternalRecord::watermark));
        return Page.last(out);
    }
}
