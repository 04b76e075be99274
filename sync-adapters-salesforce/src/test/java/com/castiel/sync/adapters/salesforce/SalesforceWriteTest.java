package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.testkit.fake.Fault;
import com.castiel.sync.testkit.fake.JournalEntry;
import com.castiel.sync.testkit.fake.RequestMatcher;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceWriteTest {

    private static final String API = "/services/data/v62.0";

    private final SalesforceHarness h = new SalesforceHarness();
    private final ProviderAdapter adapter = h.open();

    @AfterEach
    void stop() {
        adapter.close();
        h.close();
    }

    private static ObjectNode account(String name) {
        return SyncJson.object().put("Name", name);
    }

    private String nameOf(String id) {
        return h.fake.record("Account", id).orElseThrow().get("Name").asText();
    }

    private List<JournalEntry> calls(String method, String pathPrefix) {
        return h.fake.journal().matching(RequestMatcher.call(method, pathPrefix));
    }

    /** Subrequests of composite calls, as the fake ran them. */
    private List<JournalEntry> subrequests(String method, String pathPrefix) {
        return h.fake.compositeSubrequests().matching(RequestMatcher.call(method, pathPrefix));
    }

    private List<JournalEntry> compositeCalls() {
        return h.fake.journal().matching(RequestMatcher.method("POST").and(RequestMatcher.pathMatches(API + "/composite")));
    }

    private static SyncException failure(WriteResult r) {
        assertThat(r).isInstanceOf(WriteResult.Failed.class);
        return ((WriteResult.Failed) r).error();
    }

    @Test
    void a_create_returns_the_new_18_character_id_and_its_version_from_one_composite_call() {
        WriteResult r = adapter.write(WriteRequest.create("Account", account("Created").put("Industry", "Retail")));

        assertThat(r).isInstanceOfSatisfying(WriteResult.Written.class, w -> {
            assertThat(w.externalId()).hasSize(18).startsWith("001");
            assertThat(w.created()).isTrue();
            assertThat(w.modifiedAt()).isEqualTo(SalesforceHarness.START);
            assertThat(w.version()).isEqualTo("2026-03-02T09:00:00Z");
            assertThat(nameOf(w.externalId())).isEqualTo("Created");
        });
        assertThat(compositeCalls()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(h.fake.compositeSubrequests().entries()).extracting(e -> e.method() + " " + e.path() + " " + e.status())
                .containsExactly("POST " + API + "/sobjects/Account 201",
                        "GET " + API + "/sobjects/Account/" + ((WriteResult.Written) r).externalId() + " 200");
        assertThat(h.fake.compositeSubrequests().entries().get(1).queryParam("fields")).contains("SystemModstamp");
    }

    @Test
    void an_update_changes_only_the_fields_given_and_accepts_a_15_character_id() {
        String id = h.fake.create("Account", account("Before").put("Industry", "Retail"));

        WriteResult r = adapter.write(WriteRequest.update("Account", id.substring(0, 15), account("After")));

        assertThat(r).isInstanceOfSatisfying(WriteResult.Written.class, w -> assertThat(w.externalId()).isEqualTo(id));
        assertThat(h.fake.record("Account", id).orElseThrow().get("Industry").asText()).isEqualTo("Retail");
        assertThat(nameOf(id)).isEqualTo("After");
        assertThat(subrequests("PATCH", API + "/sobjects/Account/" + id)).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(204));
    }

    @Test
    void an_update_of_a_deleted_record_fails_as_not_found() {
        String id = h.fake.create("Account", account("Gone"));
        h.fake.delete("Account", id);

        assertThat(failure(adapter.write(WriteRequest.update("Account", id, account("x")))))
                .isInstanceOfSatisfying(SyncException.NotFound.class, e -> assertThat(e.providerCode()).isEqualTo("ENTITY_IS_DELETED"));
    }

    @Test
    void an_unknown_field_fails_the_record_as_validation() {
        assertThat(failure(adapter.write(WriteRequest.create("Account", account("x").put("Colour__c", "red")))))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.providerCode()).isEqualTo("INVALID_FIELD");
                    assertThat(e.getMessage()).contains("Colour__c");
                });
    }

    @Test
    void a_missing_required_field_is_named() {
        assertThat(failure(adapter.write(WriteRequest.create("Account", SyncJson.object().put("Industry", "Retail")))))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.providerCode()).isEqualTo("REQUIRED_FIELD_MISSING");
                    assertThat(e.field()).isEqualTo("Name");
                });
    }

    @Test
    void a_delete_removes_the_record_and_a_second_delete_is_not_found() {
        String id = h.fake.create("Account", account("Doomed"));

        assertThat(adapter.write(WriteRequest.delete("Account", id))).isInstanceOf(WriteResult.Written.class);
        assertThat(h.fake.record("Account", id)).isEmpty();
        assertThat(failure(adapter.write(WriteRequest.delete("Account", id)))).isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void an_upsert_creates_then_updates_by_external_id() {
        WriteResult first = adapter.write(WriteRequest.upsert("Account", "External_Id__c", "EXT-1", account("One")));
        WriteResult second = adapter.write(WriteRequest.upsert("Account", "External_Id__c", "EXT-1", account("Uno")));

        assertThat(first).isInstanceOfSatisfying(WriteResult.Written.class, w -> assertThat(w.created()).isTrue());
        assertThat(second).isInstanceOfSatisfying(WriteResult.Written.class, w -> {
            assertThat(w.created()).isFalse();
            assertThat(w.externalId()).isEqualTo(((WriteResult.Written) first).externalId());
        });
        assertThat(nameOf(((WriteResult.Written) second).externalId())).isEqualTo("Uno");
        assertThat(subrequests("PATCH", API + "/sobjects/Account/External_Id__c/EXT-1")).extracting(JournalEntry::status)
                .containsExactly(201, 200);
    }

    @Test
    void an_upsert_matching_several_records_fails_as_validation() {
        String account = h.fake.create("Account", account("Parent"));
        h.fake.create("Contact", SyncJson.object().put("LastName", "A").put("Email", "same@example.com").put("AccountId", account));
        h.fake.create("Contact", SyncJson.object().put("LastName", "B").put("Email", "same@example.com"));

        assertThat(failure(adapter.write(WriteRequest.upsert("Contact", "Email", "same@example.com", SyncJson.object().put("Title", "x")))))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(300);
                    assertThat(e.providerCode()).isEqualTo("MULTIPLE_CHOICES");
                });
    }

    @Test
    void an_upsert_on_a_field_that_is_no_external_id_fails_as_validation_naming_it() {
        assertThat(failure(adapter.write(WriteRequest.upsert("Account", "Industry", "Retail", account("x")))))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Industry"));
    }

    @Test
    void an_upsert_value_with_a_slash_travels_in_a_collection_body() {
        WriteResult r = adapter.write(WriteRequest.upsert("Account", "External_Id__c", "A/B", account("Slashed")));

        assertThat(r).isInstanceOfSatisfying(WriteResult.Written.class, w -> assertThat(w.created()).isTrue());
        assertThat(calls("PATCH", API + "/composite/sobjects/Account/External_Id__c")).hasSize(1);
    }

    @Test
    void an_update_with_a_stale_precondition_is_a_conflict_and_changes_nothing() {
        String id = h.fake.create("Account", account("Original"));
        h.clock.advance(Duration.ofMinutes(1));
        h.fake.update("Account", id, account("Changed elsewhere"));

        WriteResult r = adapter.write(WriteRequest.update("Account", id, account("Mine"))
                .withPreconditions(null, SalesforceHarness.START));

        assertThat(failure(r)).isInstanceOfSatisfying(SyncException.Conflict.class, e -> assertThat(e.httpStatus()).isEqualTo(412));
        assertThat(nameOf(id)).isEqualTo("Changed elsewhere");
        assertThat(subrequests("PATCH", API + "/sobjects/Account/" + id)).singleElement().satisfies(e -> {
            assertThat(e.header("if-unmodified-since")).contains("Mon, 2 Mar 2026 09:00:00 GMT");
            assertThat(e.status()).isEqualTo(412);
        });
    }

    @Test
    void the_version_read_from_a_record_works_as_if_match() {
        String id = h.fake.create("Account", account("Read me"));
        ExternalRecord read = adapter.fetchByIds("Account", List.of(id), List.of("Name")).get(0);

        assertThat(adapter.write(WriteRequest.update("Account", id, account("Fresh")).withPreconditions(read.version(), null)))
                .isInstanceOf(WriteResult.Written.class);
        h.clock.advance(Duration.ofSeconds(5));
        h.fake.update("Account", id, account("Someone else"));
        assertThat(failure(adapter.write(WriteRequest.update("Account", id, account("Stale")).withPreconditions(read.version(), null))))
                .isInstanceOf(SyncException.Conflict.class);
    }

    @Test
    void an_if_match_that_is_no_version_of_this_adapter_fails_the_record() {
        String id = h.fake.create("Account", account("x"));

        assertThat(failure(adapter.write(WriteRequest.update("Account", id, account("y")).withPreconditions("\"etag-17\"", null))))
                .isInstanceOf(SyncException.Validation.class).hasMessageContaining("ifMatch");
    }

    @Test
    void a_conditional_delete_of_a_record_changed_since_is_a_conflict_and_keeps_it() {
        String id = h.fake.create("Account", account("Keep"));
        h.clock.advance(Duration.ofMinutes(1));
        h.fake.update("Account", id, account("Kept"));

        WriteResult r = adapter.write(WriteRequest.delete("Account", id).withPreconditions(null, SalesforceHarness.START));

        assertThat(failure(r)).isInstanceOf(SyncException.Conflict.class);
        assertThat(h.fake.record("Account", id)).isPresent();
        assertThat(calls("DELETE", API)).isEmpty();
    }

    @Test
    void a_batch_of_450_creates_takes_three_collection_calls_of_at_most_200() {
        List<WriteRequest> creates = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            creates.add(WriteRequest.create("Account", account("Batch " + i)));
        }

        List<WriteResult> results = adapter.writeBatch(creates);

        assertThat(results).hasSize(450).allSatisfy(r -> assertThat(r).isInstanceOf(WriteResult.Written.class));
        assertThat(results).extracting(r -> ((WriteResult.Written) r).externalId()).doesNotHaveDuplicates();
        assertThat(nameOf(((WriteResult.Written) results.get(449)).externalId())).isEqualTo("Batch 449");
        assertThat(calls("POST", API + "/composite/sobjects")).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(h.fake.count("Account")).isEqualTo(450);
        assertThat(adapter.maxBatchSize()).isEqualTo(200);
    }

    @Test
    void a_refused_record_fails_alone_in_a_collection() {
        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.create("Account", account("Good 1")),
                WriteRequest.create("Account", SyncJson.object().put("Industry", "no name")),
                WriteRequest.create("Account", account("Good 2").put("NumberOfEmployees", "many"))));

        assertThat(results.get(0)).isInstanceOf(WriteResult.Written.class);
        assertThat(failure(results.get(1))).isInstanceOfSatisfying(SyncException.Validation.class,
                e -> assertThat(e.field()).isEqualTo("Name"));
        assertThat(failure(results.get(2))).isInstanceOfSatisfying(SyncException.Validation.class,
                e -> assertThat(e.providerCode()).isEqualTo("JSON_PARSER_ERROR"));
        assertThat(calls("POST", API + "/composite/sobjects")).hasSize(1);
        assertThat(h.fake.count("Account")).isEqualTo(1);
    }

    @Test
    void a_mixed_batch_including_a_conditional_update_is_one_composite_call_run_in_request_order() {
        String a = h.fake.create("Account", account("A"));
        String b = h.fake.create("Account", account("B"));
        String c = h.fake.create("Account", account("C"));
        long before = h.fake.journal().totalCount();

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.create("Account", account("New")),
                WriteRequest.update("Account", a, account("A2")),
                WriteRequest.update("Account", b, account("B2")),
                WriteRequest.delete("Account", c),
                WriteRequest.upsert("Account", "External_Id__c", "K-1", account("Keyed")),
                WriteRequest.update("Account", a, account("A3")).withPreconditions(null, SalesforceHarness.START.plusSeconds(60)),
                WriteRequest.update("Account", b, account("B3"))));

        assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(WriteResult.Written.class));
        assertThat(((WriteResult.Written) results.get(0)).created()).isTrue();
        assertThat(((WriteResult.Written) results.get(1)).externalId()).isEqualTo(a);
        assertThat(((WriteResult.Written) results.get(4)).created()).isTrue();
        assertThat(h.fake.journal().since(before)).filteredOn(e -> e.path().startsWith(API))
                .extracting(e -> e.method() + " " + e.path()).containsExactly("POST " + API + "/composite");
        assertThat(h.fake.compositeSubrequests().entries()).extracting(e -> e.method() + " " + e.path()).containsExactly(
                "POST " + API + "/composite/sobjects",
                "PATCH " + API + "/composite/sobjects",
                "DELETE " + API + "/composite/sobjects",
                "PATCH " + API + "/composite/sobjects/Account/External_Id__c",
                "PATCH " + API + "/sobjects/Account/" + a,
                "PATCH " + API + "/composite/sobjects");
        assertThat(h.fake.compositeSubrequests().entries().get(4).header("if-unmodified-since")).isPresent();
        assertThat(nameOf(a)).isEqualTo("A3");
        assertThat(nameOf(b)).isEqualTo("B3");
        assertThat(h.fake.record("Account", c)).isEmpty();
    }

    @Test
    void runs_that_together_exceed_200_records_are_separate_calls() {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            batch.add(WriteRequest.create("Account", account("A" + i)));
        }
        for (int i = 0; i < 100; i++) {
            batch.add(WriteRequest.upsert("Account", "External_Id__c", "U-" + i, account("U" + i)));
        }
        long before = h.fake.journal().totalCount();

        List<WriteResult> results = adapter.writeBatch(batch);

        assertThat(results).hasSize(250).allSatisfy(r -> assertThat(r).isInstanceOf(WriteResult.Written.class));
        assertThat(h.fake.journal().since(before)).filteredOn(e -> e.path().startsWith(API))
                .extracting(e -> e.method() + " " + e.path()).containsExactly(
                        "POST " + API + "/composite/sobjects",
                        "PATCH " + API + "/composite/sobjects/Account/External_Id__c");
    }

    @Test
    void a_refused_run_inside_a_composite_call_fails_its_records_only() {
        String a = h.fake.create("Account", account("A"));

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.update("Account", a, account("A2")),
                WriteRequest.upsert("Account", "Industry", "Retail", account("not an external id"))));

        assertThat(results.get(0)).isInstanceOf(WriteResult.Written.class);
        assertThat(failure(results.get(1))).isInstanceOfSatisfying(SyncException.Validation.class,
                e -> assertThat(e.providerCode()).isEqualTo("INVALID_FIELD"));
        assertThat(nameOf(a)).isEqualTo("A2");
        assertThat(calls("POST", API + "/composite")).hasSize(1);
    }

    @Test
    void deleting_missing_records_in_a_collection_fails_them_as_not_found() {
        String live = h.fake.create("Account", account("Live"));
        String gone = h.fake.create("Account", account("Gone"));
        h.fake.delete("Account", gone);

        List<WriteResult> results = adapter.writeBatch(List.of(WriteRequest.delete("Account", live), WriteRequest.delete("Account", gone)));

        assertThat(results.get(0)).isInstanceOf(WriteResult.Written.class);
        assertThat(failure(results.get(1))).isInstanceOfSatisfying(SyncException.NotFound.class,
                e -> assertThat(e.providerCode()).isEqualTo("ENTITY_IS_DELETED"));
        assertThat(calls("DELETE", API + "/composite/sobjects")).singleElement()
                .satisfies(e -> assertThat(e.queryParam("ids")).contains(live + "," + gone));
    }

    @Test
    void a_collection_call_failing_before_anything_was_written_is_thrown_for_a_retry() {
        h.fake.faults().next(3, RequestMatcher.call("POST", API + "/composite"), Fault.serviceUnavailable());

        assertThatThrownBy(() -> adapter.writeBatch(List.of(WriteRequest.create("Account", account("x")))))
                .isInstanceOf(SyncException.Transient.class);
        assertThat(h.fake.count("Account")).isZero();
    }

    @Test
    void a_call_failing_after_others_were_written_fails_only_its_records() {
        String existing = h.fake.create("Account", account("Existing"));
        String doomed = h.fake.create("Account", account("Doomed"));
        h.fake.faults().next(3, RequestMatcher.call("PATCH", API + "/composite"), Fault.serviceUnavailable());

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.create("Account", account("Written")),
                WriteRequest.delete("Account", doomed).withPreconditions(null, SalesforceHarness.START),
                WriteRequest.update("Account", existing, account("Not written"))));

        assertThat(results.get(0)).isInstanceOf(WriteResult.Written.class);
        assertThat(results.get(1)).isInstanceOf(WriteResult.Written.class);
        assertThat(failure(results.get(2))).isInstanceOf(SyncException.Transient.class);
        assertThat(nameOf(existing)).isEqualTo("Existing");
        assertThat(h.fake.record("Account", doomed)).isEmpty();
    }

    @Test
    void conditional_updates_in_a_batch_fail_alone_and_share_one_call() {
        String stale = h.fake.create("Account", account("Stale"));
        String fresh = h.fake.create("Account", account("Fresh"));
        h.clock.advance(Duration.ofMinutes(1));
        h.fake.update("Account", stale, account("Changed elsewhere"));
        long before = h.fake.journal().totalCount();

        List<WriteResult> results = adapter.writeBatch(List.of(
                WriteRequest.update("Account", stale, account("Mine")).withPreconditions(null, SalesforceHarness.START),
                WriteRequest.update("Account", fresh, account("Mine too")).withPreconditions(null, SalesforceHarness.START)));

        assertThat(failure(results.get(0))).isInstanceOf(SyncException.Conflict.class);
        assertThat(results.get(1)).isInstanceOf(WriteResult.Written.class);
        assertThat(nameOf(stale)).isEqualTo("Changed elsewhere");
        assertThat(nameOf(fresh)).isEqualTo("Mine too");
        assertThat(h.fake.journal().since(before)).filteredOn(e -> e.path().startsWith(API)).hasSize(1);
    }

    @Test
    void transient_503s_of_a_single_write_are_retried_by_the_chain() {
        h.fake.faults().next(1, RequestMatcher.pathMatches(API + "/composite"), Fault.serviceUnavailable());

        assertThat(adapter.write(WriteRequest.create("Account", account("Eventually")))).isInstanceOf(WriteResult.Written.class);
        assertThat(compositeCalls()).extracting(JournalEntry::status).containsExactly(503, 200);
        assertThat(h.fake.count("Account")).isEqualTo(1);
    }

    @Test
    void records_written_are_read_back_by_the_next_incremental_scan() {
        h.fake.seedAccountsAndContacts(3, 2L);
        FetchRequest scan = new FetchRequest("Account", List.of("Name"), List.of(), null, null, null, 200);
        List<ExternalRecord> first = adapter.fetch(scan).records();
        h.clock.advance(Duration.ofSeconds(30));

        String id = ((WriteResult.Written) adapter.write(WriteRequest.create("Account", account("Late")))).externalId();

        assertThat(adapter.fetch(scan.withSince(first.get(2).watermark())).records()).extracting(ExternalRecord::id).containsExactly(id);
    }
}
