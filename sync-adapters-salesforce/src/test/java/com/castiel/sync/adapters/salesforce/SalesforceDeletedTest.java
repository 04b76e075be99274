package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.RequestMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceDeletedTest {

    private static final String API = "/services/data/v62.0";

    private final SalesforceHarness h = new SalesforceHarness();
    private final ProviderAdapter adapter = h.open();

    @AfterEach
    void stop() {
        adapter.close();
        h.close();
    }

    private static FetchRequest deletedSince(Watermark since) {
        return new FetchRequest("Account", List.of(), List.of(), since, null, null, 200);
    }

    private List<ExternalRecord> readAll(FetchRequest first) {
        List<ExternalRecord> out = new ArrayList<>();
        Page page = adapter.fetchDeleted(first);
        out.addAll(page.records());
        while (!page.done()) {
            page = adapter.fetchDeleted(first.withCursor(page.nextCursor()));
            out.addAll(page.records());
        }
        return out;
    }

    /** Deletes the first {@code n} accounts, a minute apart, starting 10 minutes after START; returns their ids. */
    private List<String> deleteAccounts(int n) {
        List<String> ids = h.fake.ids("Account").subList(0, n);
        List<String> deleted = new ArrayList<>(ids);
        h.clock.set(SalesforceHarness.START.plus(Duration.ofMinutes(10)));
        for (String id : deleted) {
            h.fake.delete("Account", id);
            h.clock.advance(Duration.ofMinutes(1));
        }
        return deleted;
    }

    private List<JournalEntry> calls(String prefix) {
        return h.fake.journal().matching(RequestMatcher.pathStartsWith(prefix));
    }

    @Test
    void without_a_watermark_deletions_come_from_query_all_as_tombstones_in_deletion_order() {
        h.fake.seedAccountsAndContacts(5, 1L);
        List<String> deleted = deleteAccounts(2);

        List<ExternalRecord> tombstones = readAll(deletedSince(null));

        assertThat(tombstones).extracting(ExternalRecord::id).containsExactlyElementsOf(deleted);
        assertThat(tombstones).allSatisfy(t -> assertThat(t.deleted()).isTrue());
        assertThat(tombstones.get(0).modifiedAt()).isEqualTo(SalesforceHarness.START.plus(Duration.ofMinutes(10)));
        assertThat(calls(API + "/queryAll")).singleElement().satisfies(e -> assertThat(e.queryParam("q")).contains(
                "SELECT Id, SystemModstamp, IsDeleted FROM Account WHERE IsDeleted = true ORDER BY SystemModstamp ASC, Id ASC"));
    }

    @Test
    void a_recent_watermark_reads_the_recycle_bin_after_it() {
        h.fake.seedAccountsAndContacts(5, 1L);
        List<String> deleted = deleteAccounts(3);
        List<ExternalRecord> all = readAll(deletedSince(null));

        // deleted at 09:10, 09:11, 09:12 and now it is just past 09:13 (the paced rate limiter moves
        // the test clock a little per call): a watermark at 09:11:30 is well under two minutes old
        List<ExternalRecord> after = readAll(deletedSince(new com.castiel.sync.model.Watermark(
                all.get(1).modifiedAt().plusSeconds(30), all.get(1).id())));

        assertThat(after).extracting(ExternalRecord::id).containsExactly(deleted.get(2));
        assertThat(calls(API + "/sobjects")).isEmpty();
    }

    @Test
    void a_watermark_inside_the_delete_log_window_reads_the_delete_log_which_outlives_the_recycle_bin() {
        h.fake.seedAccountsAndContacts(5, 1L);
        List<String> deleted = deleteAccounts(2);
        h.fake.emptyRecycleBin("Account");
        h.clock.set(SalesforceHarness.START.plus(Duration.ofHours(3)));

        List<ExternalRecord> tombstones = readAll(deletedSince(new Watermark(SalesforceHarness.START.plus(Duration.ofMinutes(5)), "")));

        assertThat(tombstones).extracting(ExternalRecord::id).containsExactlyElementsOf(deleted);
        assertThat(tombstones).isSortedAccordingTo(Comparator.comparing(ExternalRecord::watermark));
        assertThat(calls(API + "/sobjects/Account/deleted")).singleElement().satisfies(e -> {
            assertThat(e.queryParam("start")).contains("2026-03-02T09:05:00.000Z");
            assertThat(e.queryParam("end")).contains("2026-03-02T12:00:00.000Z");
        });
        assertThat(readAll(deletedSince(null))).as("the emptied recycle bin no longer shows them").isEmpty();
    }

    @Test
    void delete_log_entries_at_or_before_the_watermark_are_not_repeated() {
        h.fake.seedAccountsAndContacts(5, 1L);
        List<String> deleted = deleteAccounts(2);
        h.clock.set(SalesforceHarness.START.plus(Duration.ofHours(3)));
        Instant firstDeletion = SalesforceHarness.START.plus(Duration.ofMinutes(10));

        List<ExternalRecord> tombstones = readAll(deletedSince(new Watermark(firstDeletion, deleted.get(0))));

        assertThat(tombstones).extracting(ExternalRecord::id).containsExactly(deleted.get(1));
    }

    @Test
    void deletions_purged_from_the_delete_log_after_the_watermark_demand_a_full_sync() {
        h.fake.seedAccountsAndContacts(5, 1L);
        deleteAccounts(2);
        h.fake.purgeDeleteLog("Account", SalesforceHarness.START.plus(Duration.ofMinutes(30)));
        h.clock.set(SalesforceHarness.START.plus(Duration.ofHours(3)));

        assertThatThrownBy(() -> adapter.fetchDeleted(deletedSince(new Watermark(SalesforceHarness.START.plus(Duration.ofMinutes(5)), ""))))
                .isInstanceOfSatisfying(SyncException.Validation.class,
                        e -> assertThat(e.providerCode()).isEqualTo("DELETE_LOG_PURGED"));
    }

    @Test
    void a_delete_log_window_with_too_many_ids_falls_back_to_the_recycle_bin() {
        h.fake.seedAccountsAndContacts(5, 1L);
        h.fake.deletedIdLimit(1);
        List<String> deleted = deleteAccounts(2);
        h.clock.set(SalesforceHarness.START.plus(Duration.ofHours(3)));

        List<ExternalRecord> tombstones = readAll(deletedSince(new Watermark(SalesforceHarness.START.plus(Duration.ofMinutes(5)), "")));

        assertThat(tombstones).extracting(ExternalRecord::id).containsExactlyElementsOf(deleted);
        assertThat(calls(API + "/sobjects/Account/deleted")).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(400));
        assertThat(calls(API + "/queryAll")).hasSize(1);
    }

    @Test
    void a_watermark_older_than_the_delete_log_window_reads_the_recycle_bin() {
        h.fake.seedAccountsAndContacts(5, 1L);
        List<String> deleted = deleteAccounts(1);
        h.clock.set(SalesforceHarness.START.plus(Duration.ofDays(20)));

        assertThat(readAll(deletedSince(new Watermark(SalesforceHarness.START, "")))).extracting(ExternalRecord::id)
                .containsExactlyElementsOf(deleted);
        assertThat(calls(API + "/sobjects")).isEmpty();
    }

    @Test
    void many_deletions_page_through_query_all_cursors() {
        h.fake.seedAccountsAndContacts(260, 1L);
        for (String id : h.fake.ids("Account").subList(0, 250)) {
            h.fake.delete("Account", id);
        }

        List<ExternalRecord> tombstones = readAll(deletedSince(null));

        assertThat(tombstones).hasSize(250).extracting(ExternalRecord::id).doesNotHaveDuplicates();
        assertThat(calls(API + "/query/")).hasSize(1);
    }
}
