package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.FilterOperator;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceReadTest {

    private static final String QUERY_PATH = "/services/data/v62.0/query";

    private final SalesforceHarness h = new SalesforceHarness();
    private final ProviderAdapter adapter = h.open();

    @AfterEach
    void stop() {
        adapter.close();
        h.close();
    }

    private static FetchRequest scan(String entity, List<String> fields, int pageSize) {
        return new FetchRequest(entity, fields, List.of(), null, null, null, pageSize);
    }

    private List<ExternalRecord> readAll(FetchRequest first) {
        List<ExternalRecord> out = new ArrayList<>();
        Page page = adapter.fetch(first);
        out.addAll(page.records());
        while (!page.done()) {
            page = adapter.fetch(first.withCursor(page.nextCursor()));
            out.addAll(page.records());
        }
        return out;
    }

    private List<JournalEntry> queries() {
        return h.fake.journal().matching(RequestMatcher.pathStartsWith(QUERY_PATH));
    }

    @Test
    void a_full_scan_pages_through_every_record_in_stamp_and_id_order() {
        h.fake.seedAccountsAndContacts(450, 7L);

        List<Integer> sizes = new ArrayList<>();
        FetchRequest first = scan("Account", List.of("Name", "Industry"), 200);
        Page page = adapter.fetch(first);
        List<ExternalRecord> all = new ArrayList<>(page.records());
        sizes.add(page.records().size());
        while (!page.done()) {
            page = adapter.fetch(first.withCursor(page.nextCursor()));
            sizes.add(page.records().size());
            all.addAll(page.records());
        }

        assertThat(sizes).containsExactly(200, 200, 50);
        assertThat(all).extracting(ExternalRecord::id).doesNotHaveDuplicates().hasSize(450);
        assertThat(all).isSortedAccordingTo(Comparator.comparing(ExternalRecord::watermark));
        assertThat(all).allSatisfy(r -> {
            assertThat(r.id()).hasSize(18).startsWith("001");
            assertThat(r.modifiedAt()).isEqualTo(SalesforceHarness.START);
            assertThat(r.fields().has("attributes")).isFalse();
            assertThat(r.fields().get("Name").asText()).isNotBlank();
        });
    }

    @Test
    void the_first_request_carries_the_soql_and_batch_size_and_later_ones_follow_next_records_url() {
        h.fake.seedAccountsAndContacts(450, 7L);

        readAll(scan("Account", List.of("Name"), 200));

        List<JournalEntry> requests = queries();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).path()).isEqualTo(QUERY_PATH);
        assertThat(requests.get(0).queryParam("q")).contains(
                "SELECT Id, SystemModstamp, Name FROM Account ORDER BY SystemModstamp ASC, Id ASC");
        assertThat(requests.get(0).header("sforce-query-options")).contains("batchSize=200");
        assertThat(requests.subList(1, 3)).allSatisfy(e -> {
            assertThat(e.path()).matches(QUERY_PATH + "/01g[A-Za-z0-9]{15}-\\d+");
            assertThat(e.query()).isEmpty();
        });
        assertThat(requests.get(1).path()).endsWith("-200");
        assertThat(requests.get(2).path()).endsWith("-400");
    }

    @Test
    void the_page_size_is_kept_within_salesforces_batch_range() {
        h.fake.seedAccountsAndContacts(5, 1L);

        adapter.fetch(scan("Account", List.of(), 50));
        adapter.fetch(scan("Account", List.of(), 5000));

        assertThat(queries()).extracting(e -> e.header("sforce-query-options").orElseThrow())
                .containsExactly("batchSize=200", "batchSize=2000");
    }

    @Test
    void an_incremental_scan_continues_after_the_watermark_among_records_sharing_its_stamp() {
        h.fake.seedAccountsAndContacts(10, 3L);
        List<ExternalRecord> all = readAll(scan("Account", List.of("Name"), 200));
        Watermark fourth = all.get(3).watermark();

        List<ExternalRecord> after = readAll(scan("Account", List.of("Name"), 200).withSince(fourth));

        assertThat(after).extracting(ExternalRecord::id).containsExactlyElementsOf(all.subList(4, 10).stream().map(ExternalRecord::id).toList());
        assertThat(queries().get(queries().size() - 1).queryParam("q").orElseThrow()).contains(
                "WHERE (SystemModstamp > 2026-03-02T09:00:00Z OR (SystemModstamp = 2026-03-02T09:00:00Z AND Id > '"
                        + fourth.id() + "')) ORDER BY SystemModstamp ASC, Id ASC");
    }

    @Test
    void a_watermark_without_an_id_includes_records_of_its_own_stamp() {
        h.fake.seedAccountsAndContacts(10, 3L);

        List<ExternalRecord> after = readAll(scan("Account", List.of(), 200).withSince(new Watermark(SalesforceHarness.START, "")));

        assertThat(after).hasSize(10);
        assertThat(queries().get(0).queryParam("q").orElseThrow()).contains("WHERE SystemModstamp >= 2026-03-02T09:00:00Z ORDER BY");
    }

    @Test
    void a_record_changed_after_the_watermark_is_the_only_one_returned() {
        h.fake.seedAccountsAndContacts(10, 3L);
        List<ExternalRecord> all = readAll(scan("Account", List.of("Name"), 200));
        h.clock.advance(Duration.ofMinutes(5));
        h.fake.update("Account", all.get(2).id(), SyncJson.object().put("Name", "Renamed"));

        List<ExternalRecord> changed = readAll(scan("Account", List.of("Name"), 200).withSince(all.get(9).watermark()));

        assertThat(changed).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(all.get(2).id());
            assertThat(r.fields().get("Name").asText()).isEqualTo("Renamed");
            assertThat(r.modifiedAt()).isEqualTo(SalesforceHarness.START.plus(Duration.ofMinutes(5)));
            assertThat(r.version()).isEqualTo("2026-03-02T09:05:00Z");
        });
    }

    @Test
    void pull_filters_narrow_the_scan() {
        h.fake.seedAccountsAndContacts(200, 11L);
        List<ExternalRecord> all = readAll(scan("Account", List.of("Industry", "NumberOfEmployees"), 2000));
        JsonNodeFactory json = JsonNodeFactory.instance;
        List<PullFilter> filters = List.of(
                new PullFilter("Account", "Industry", FilterOperator.IN, json.arrayNode().add("Retail").add("Energy")),
                new PullFilter(null, "NumberOfEmployees", FilterOperator.GTE, json.numberNode(5000)),
                new PullFilter("Contact", "LastName", FilterOperator.EQ, json.textNode("ignored for accounts")));

        List<ExternalRecord> filtered = readAll(new FetchRequest("Account", List.of("Industry", "NumberOfEmployees"), filters,
                null, null, null, 2000));

        List<String> expected = all.stream().filter(r -> List.of("Retail", "Energy").contains(r.fields().get("Industry").asText()))
                .filter(r -> r.fields().get("NumberOfEmployees").asInt() >= 5000).map(ExternalRecord::id).toList();
        assertThat(expected).isNotEmpty();
        assertThat(filtered).extracting(ExternalRecord::id).containsExactlyElementsOf(expected);
        assertThat(queries().get(queries().size() - 1).queryParam("q").orElseThrow())
                .contains("WHERE Industry IN ('Retail', 'Energy') AND NumberOfEmployees >= 5000 ORDER BY");
    }

    @Test
    void a_filter_value_with_quotes_and_backslashes_matches_exactly_that_value() {
        String tricky = "O'Brien \\ Sons' OR Name != '";
        h.fake.create("Account", SyncJson.object().put("Name", tricky));
        h.fake.create("Account", SyncJson.object().put("Name", "O'Brien"));

        List<ExternalRecord> found = readAll(new FetchRequest("Account", List.of("Name"),
                List.of(new PullFilter(null, "Name", FilterOperator.EQ, JsonNodeFactory.instance.textNode(tricky))), null, null, null, 200));

        assertThat(found).singleElement().satisfies(r -> assertThat(r.fields().get("Name").asText()).isEqualTo(tricky));
    }

    @Test
    void relationship_fields_come_back_nested_without_attributes() {
        h.fake.seedAccountsAndContacts(3, 5L);

        List<ExternalRecord> contacts = readAll(scan("Contact", List.of("LastName", "Account.Name", "Owner.Name", "Owner.Email"), 200));

        assertThat(contacts).hasSize(3).allSatisfy(c -> {
            assertThat(c.fields().get("Account").get("Name").asText()).isNotBlank();
            assertThat(c.fields().get("Account").has("attributes")).isFalse();
            assertThat(c.fields().get("Owner").get("Email").asText()).endsWith("@fake-salesforce.example");
        });
    }

    @Test
    void an_expired_query_locator_surfaces_as_not_found_so_the_engine_restarts_from_its_watermark() {
        h.fake.seedAccountsAndContacts(300, 5L);
        FetchRequest first = scan("Account", List.of(), 200);
        Page page = adapter.fetch(first);
        h.fake.expireQueryLocators();

        assertThatThrownBy(() -> adapter.fetch(first.withCursor(page.nextCursor())))
                .isInstanceOfSatisfying(SyncException.NotFound.class, e -> assertThat(e.providerCode()).isEqualTo("INVALID_QUERY_LOCATOR"));
    }

    @Test
    void a_locator_idle_past_its_timeout_expires_too() {
        h.fake.seedAccountsAndContacts(300, 5L);
        FetchRequest first = scan("Account", List.of(), 200);
        Page page = adapter.fetch(first);
        h.clock.advance(Duration.ofMinutes(16));

        assertThatThrownBy(() -> adapter.fetch(first.withCursor(page.nextCursor()))).isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void an_unknown_field_is_a_configuration_error_naming_it() {
        assertThatThrownBy(() -> adapter.fetch(scan("Account", List.of("Nmae"), 200)))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageContaining("Nmae").hasMessageContaining("INVALID_FIELD");
    }

    @Test
    void an_unknown_object_is_a_configuration_error_naming_it() {
        assertThatThrownBy(() -> adapter.fetch(scan("Acount", List.of(), 200)))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("Acount");
    }

    @Test
    void a_field_name_that_is_not_an_api_name_is_refused_before_any_request() {
        assertThatThrownBy(() -> adapter.fetch(scan("Account", List.of("Name FROM User --"), 200)))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("Name FROM User --");
        assertThat(queries()).isEmpty();
    }

    @Test
    void fetch_by_ids_accepts_15_and_18_character_ids_and_leaves_out_missing_ones() {
        h.fake.seedAccountsAndContacts(5, 5L);
        List<String> ids = h.fake.ids("Account");
        h.fake.delete("Account", ids.get(4));

        List<ExternalRecord> found = adapter.fetchByIds("Account",
                List.of(ids.get(0).substring(0, 15), ids.get(1), ids.get(4), "not-an-id"), List.of("Name"));

        assertThat(found).extracting(ExternalRecord::id).containsExactlyInAnyOrder(ids.get(0), ids.get(1));
        assertThat(queries().get(0).queryParam("q").orElseThrow())
                .isEqualTo("SELECT Id, SystemModstamp, Name FROM Account WHERE Id IN ('" + ids.get(0) + "', '" + ids.get(1) + "', '"
                        + ids.get(4) + "')");
    }

    @Test
    void fetch_by_ids_splits_long_id_lists_into_queries_of_200() {
        h.fake.seedAccountsAndContacts(450, 5L);
        List<String> ids = h.fake.ids("Account");

        List<ExternalRecord> found = adapter.fetchByIds("Account", ids, List.of());

        assertThat(found).hasSize(450);
        assertThat(queries()).hasSize(3);
    }
}
