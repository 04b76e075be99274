package com.castiel.sync.testkit.fake.salesforce;

import static com.castiel.sync.testkit.fake.salesforce.SalesforceClient.API;
import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeSalesforceQueryTest {

    private static final String ALL_ACCOUNTS = "SELECT Id, SystemModstamp, Name FROM Account ORDER BY SystemModstamp ASC, Id ASC";

    private final MutableClock clock = MutableClock.at("2026-03-02T09:00:00Z");
    private final FakeSalesforce sf = new FakeSalesforce(clock).start();
    private final SalesforceClient client = new SalesforceClient(sf).login();

    @AfterEach
    void stop() {
        client.close();
        sf.close();
        assertThat(sf.handlerFailures()).isEmpty();
    }

    private List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("records").forEach(r -> out.add(r.get("Id").asText()));
        return out;
    }

    @Test
    void a_query_answers_batches_of_the_requested_size_with_a_next_records_url_until_done() {
        sf.seedAccountsAndContacts(450, 1L);

        SalesforceClient.Reply first = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200");
        JsonNode page = first.json();
        List<String> all = new ArrayList<>(ids(page));
        assertThat(page.get("totalSize").asInt()).isEqualTo(450);
        assertThat(page.get("done").asBoolean()).isFalse();
        while (!page.get("done").asBoolean()) {
            assertThat(page.get("nextRecordsUrl").asText()).matches(API + "/query/01g[A-Za-z0-9]{15}-\\d+");
            page = client.get(page.get("nextRecordsUrl").asText()).json();
            all.addAll(ids(page));
        }

        assertThat(all).hasSize(450).doesNotHaveDuplicates().isSorted();
        assertThat(page.has("nextRecordsUrl")).isFalse();
        assertThat(first.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void batch_sizes_are_kept_between_200_and_2000() {
        sf.seedAccountsAndContacts(2100, 1L);

        assertThat(client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=50").json().get("records")).hasSize(200);
        assertThat(client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=5000").json().get("records")).hasSize(2000);
        assertThat(client.query(ALL_ACCOUNTS).json().get("records")).as("default").hasSize(2000);
    }

    @Test
    void asking_for_the_same_next_records_url_twice_answers_the_same_batch() {
        sf.seedAccountsAndContacts(450, 1L);
        String next = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200").json().get("nextRecordsUrl").asText();

        JsonNode once = client.get(next).json();
        JsonNode again = client.get(next).json();

        assertThat(ids(again)).isEqualTo(ids(once));
    }

    @Test
    void records_are_rendered_with_attributes_salesforce_dates_and_nested_relationships() {
        String owner = sf.create("User", SyncJson.object().put("Name", "Olivia Owner").put("Email", "o@example.com"));
        String account = sf.create("Account", SyncJson.object().put("Name", "Acme").put("OwnerId", owner).put("AnnualRevenue", 1.5e6));
        sf.create("Contact", SyncJson.object().put("LastName", "Orphan"));
        sf.create("Contact", SyncJson.object().put("LastName", "Child").put("AccountId", account.substring(0, 15)));

        JsonNode rows = client.query("SELECT Id, LastName, Account.Name FROM Contact").json().get("records");
        JsonNode accounts = client.query("SELECT Id, Name, AnnualRevenue, SystemModstamp, Owner.Name, Owner.Email FROM Account")
                .json().get("records");

        JsonNode a = accounts.get(0);
        assertThat(a.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(a.get("attributes").get("url").asText()).isEqualTo(API + "/sobjects/Account/" + account);
        assertThat(a.get("SystemModstamp").asText()).isEqualTo("2026-03-02T09:00:00.000+0000");
        assertThat(a.get("AnnualRevenue").decimalValue()).isEqualByComparingTo("1500000");
        assertThat(a.get("Owner").get("attributes").get("type").asText()).isEqualTo("User");
        assertThat(a.get("Owner").get("Name").asText()).isEqualTo("Olivia Owner");
        assertThat(a.get("Owner").get("Email").asText()).isEqualTo("o@example.com");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("Account").isNull()).isTrue();
        assertThat(rows.get(1).get("Account").get("Name").asText()).isEqualTo("Acme");
    }

    @Test
    void records_sharing_a_stamp_are_ordered_by_id_and_filtered_by_the_keyset() {
        sf.seedAccountsAndContacts(10, 1L);
        List<String> all = ids(client.query(ALL_ACCOUNTS).json());

        JsonNode after = client.query("SELECT Id FROM Account WHERE (SystemModstamp > 2026-03-02T09:00:00Z OR (SystemModstamp = "
                + "2026-03-02T09:00:00Z AND Id > '" + all.get(6) + "')) ORDER BY SystemModstamp, Id").json();

        assertThat(ids(after)).containsExactlyElementsOf(all.subList(7, 10));
    }

    @Test
    void a_record_changed_while_paging_comes_again_later_and_none_is_skipped() {
        sf.seedAccountsAndContacts(400, 1L);
        JsonNode first = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200").json();
        String early = first.get("records").get(5).get("Id").asText();
        clock.advance(Duration.ofSeconds(1));
        sf.update("Account", early, SyncJson.object().put("Name", "Changed mid-scan"));

        JsonNode second = client.get(first.get("nextRecordsUrl").asText()).json();
        List<String> seen = new ArrayList<>(ids(first));
        JsonNode page = second;
        seen.addAll(ids(page));
        while (!page.get("done").asBoolean()) {
            page = client.get(page.get("nextRecordsUrl").asText()).json();
            seen.addAll(ids(page));
        }

        assertThat(seen).containsAll(sf.ids("Account"));
        assertThat(seen.stream().filter(early::equals)).hasSize(2);
    }

    @Test
    void query_all_sees_deleted_records_in_the_recycle_bin_and_query_does_not() {
        sf.seedAccountsAndContacts(3, 1L);
        String gone = sf.ids("Account").get(1);
        clock.advance(Duration.ofMinutes(1));
        sf.delete("Account", gone);
        String deletedOnly = "SELECT Id, Name, IsDeleted, SystemModstamp FROM Account WHERE IsDeleted = true";

        JsonNode all = client.queryAll(deletedOnly).json().get("records");
        assertThat(all).singleElement().satisfies(r -> {
            assertThat(r.get("Id").asText()).isEqualTo(gone);
            assertThat(r.get("IsDeleted").asBoolean()).isTrue();
            assertThat(r.get("Name").asText()).as("the recycle bin keeps the fields").isNotBlank();
            assertThat(r.get("SystemModstamp").asText()).isEqualTo("2026-03-02T09:01:00.000+0000");
        });
        assertThat(client.query(deletedOnly).json().get("records")).isEmpty();

        sf.emptyRecycleBin("Account");
        assertThat(client.queryAll(deletedOnly).json().get("records")).isEmpty();
    }

    @Test
    void finished_expired_and_evicted_locators_answer_invalid_query_locator() {
        sf.seedAccountsAndContacts(450, 1L);
        sf.maxOpenQueryCursors(2);
        String a = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200").json().get("nextRecordsUrl").asText();
        String b = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200").json().get("nextRecordsUrl").asText();
        String c = client.query(ALL_ACCOUNTS, "Sforce-Query-Options", "batchSize=200").json().get("nextRecordsUrl").asText();

        SalesforceClient.Reply evicted = client.get(a);
        assertThat(evicted.status()).isEqualTo(400);
        assertThat(evicted.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
        assertThat(client.get(b).status()).isEqualTo(200);
        assertThat(sf.openQueryCursors()).isEqualTo(2);

        String last = client.get(client.get(c).json().get("nextRecordsUrl").asText()).json().has("nextRecordsUrl") ? null : "done";
        assertThat(last).isEqualTo("done");
        assertThat(client.get(c).status()).as("a finished cursor is closed").isEqualTo(400);

        clock.advance(Duration.ofMinutes(16));
        assertThat(client.get(b).errorCode()).as("idle past the timeout").isEqualTo("INVALID_QUERY_LOCATOR");
    }

    @Test
    void queries_outside_the_subset_or_schema_are_refused_with_salesforce_error_codes() {
        SalesforceClient.Reply malformed = client.query("SELECT COUNT() FROM Account");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(client.query("SELECT Id FROM Nope").errorCode()).isEqualTo("INVALID_TYPE");
        assertThat(client.query("SELECT Nmae FROM Account").errorCode()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void every_api_answer_carries_sforce_limit_info_and_the_daily_count_grows() {
        SalesforceClient.Reply one = client.query(ALL_ACCOUNTS);
        SalesforceClient.Reply two = client.query("SELECT Nmae FROM Account");

        assertThat(one.header("sforce-limit-info")).contains("api-usage=1/100000");
        assertThat(two.header("sforce-limit-info")).contains("api-usage=2/100000");
        assertThat(sf.apiRequestsToday()).isEqualTo(2);
    }

    @Test
    void beyond_the_per_second_limit_calls_get_request_limit_exceeded_without_retry_after() {
        sf.rateLimitPerSecond(2);

        assertThat(client.query(ALL_ACCOUNTS).status()).isEqualTo(200);
        assertThat(client.query(ALL_ACCOUNTS).status()).isEqualTo(200);
        SalesforceClient.Reply refused = client.query(ALL_ACCOUNTS);
        clock.advance(Duration.ofSeconds(1));
        SalesforceClient.Reply later = client.query(ALL_ACCOUNTS);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        assertThat(refused.header("retry-after")).isEmpty();
        assertThat(later.status()).isEqualTo(200);
        assertThat(sf.apiRequestsToday()).as("refused calls are not counted").isEqualTo(3);
    }

    @Test
    void the_daily_allocation_runs_out_and_recovers_after_24_hours() {
        sf.dailyApiLimit(1);
        client.query(ALL_ACCOUNTS);

        SalesforceClient.Reply refused = client.query(ALL_ACCOUNTS);
        assertThat(refused.json().get(0).get("message").asText()).isEqualTo("TotalRequests Limit exceeded.");
        assertThat(refused.header("sforce-limit-info")).contains("api-usage=1/1");
        clock.advance(Duration.ofHours(24).plusMinutes(1));
        assertThat(client.login().query(ALL_ACCOUNTS).status()).isEqualTo(200);
    }

    @Test
    void an_expired_token_is_answered_with_invalid_session_id() {
        sf.expireAllTokens();

        SalesforceClient.Reply r = client.query(ALL_ACCOUNTS);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).isEqualTo(SyncJson.tree("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));
    }

    @Test
    void sessions_can_be_made_unusable_for_the_rest_api() {
        sf.rejectSessionsForRestApi(true);

        SalesforceClient.Reply r = client.query(ALL_ACCOUNTS);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get(0).get("message").asText()).isEqualTo("This session is not valid for use with the REST API");
    }

    @Test
    void unknown_versions_and_paths_are_not_found() {
        assertThat(client.get("/services/data/v20.0/query?q=x").errorCode()).isEqualTo("NOT_FOUND");
        assertThat(client.get(API + "/nothing/here").errorCode()).isEqualTo("NOT_FOUND");
        assertThat(client.get("/services/data").json().get(0).has("version")).isTrue();
    }

    @Test
    void the_seeded_org_has_stamps_on_the_clock() {
        sf.seedAccountsAndContacts(2, 1L);
        JsonNode r = client.query("SELECT Id, CreatedDate, LastModifiedDate FROM Contact").json().get("records").get(0);
        assertThat(Instant.parse(r.get("CreatedDate").asText().replace("+0000", "Z"))).isEqualTo(clock.instant());
    }
}
