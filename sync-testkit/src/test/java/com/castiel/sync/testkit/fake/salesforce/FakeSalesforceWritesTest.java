package com.castiel.sync.testkit.fake.salesforce;

import static com.castiel.sync.testkit.fake.salesforce.SalesforceClient.API;
import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.testkit.time.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeSalesforceWritesTest {

    private final MutableClock clock = MutableClock.at("2026-03-02T09:00:00Z");
    private final FakeSalesforce sf = new FakeSalesforce(clock).start();
    private final SalesforceClient client = new SalesforceClient(sf).login();

    @AfterEach
    void stop() {
        client.close();
        sf.close();
        assertThat(sf.handlerFailures()).isEmpty();
    }

    private String name(String id) {
        return sf.record("Account", id).orElseThrow().get("Name").asText();
    }

    @Test
    void a_create_answers_201_with_the_id_and_a_location() {
        SalesforceClient.Reply r = client.send("POST", API + "/sobjects/Account", "{\"Name\":\"Acme\",\"industry\":\"Retail\"}");

        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asText();
        assertThat(r.json()).isEqualTo(SyncJson.tree("{\"id\":\"" + id + "\",\"errors\":[],\"success\":true}"));
        assertThat(r.header("location")).contains(API + "/sobjects/Account/" + id);
        assertThat(sf.record("Account", id).orElseThrow().get("Industry").asText()).as("field names match case-insensitively").isEqualTo("Retail");
    }

    @Test
    void writes_are_checked_like_salesforce_checks_them() {
        assertThat(client.send("POST", API + "/sobjects/Account", "{\"Name\":\"x\",\"Colour__c\":\"red\"}").errorCode()).isEqualTo("INVALID_FIELD");
        SalesforceClient.Reply missing = client.send("POST", API + "/sobjects/Account", "{\"Industry\":\"Retail\"}");
        assertThat(missing.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(missing.json().get(0).get("fields").get(0).asText()).isEqualTo("Name");
        assertThat(client.send("POST", API + "/sobjects/Account", "{\"Name\":\"x\",\"SystemModstamp\":\"2020-01-01T00:00:00Z\"}").errorCode())
                .isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(client.send("POST", API + "/sobjects/Account", "{\"Name\":\"x\",\"NumberOfEmployees\":\"many\"}").errorCode())
                .isEqualTo("JSON_PARSER_ERROR");
        assertThat(client.send("POST", API + "/sobjects/Contact", "{\"LastName\":\"x\",\"AccountId\":\"001Fk0000000999\"}").errorCode())
                .isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(client.send("POST", API + "/sobjects/Contact", "{\"LastName\":\"x\",\"AccountId\":\"003Fk0000000999\"}").errorCode())
                .isEqualTo("MALFORMED_ID");
        assertThat(client.send("POST", API + "/sobjects/Nope", "{\"Name\":\"x\"}").status()).isEqualTo(404);
        assertThat(client.send("POST", API + "/sobjects/Account", "{not json").errorCode()).isEqualTo("JSON_PARSER_ERROR");
    }

    @Test
    void an_update_answers_204_and_honours_if_unmodified_since() {
        String id = sf.create("Account", SyncJson.object().put("Name", "Before"));
        clock.advance(Duration.ofMinutes(1));

        assertThat(client.send("PATCH", API + "/sobjects/Account/" + id, "{\"Name\":\"Fresh\"}",
                "If-Unmodified-Since", "Mon, 2 Mar 2026 09:01:00 GMT").status()).isEqualTo(204);
        assertThat(name(id)).isEqualTo("Fresh");
        SalesforceClient.Reply stale = client.send("PATCH", API + "/sobjects/Account/" + id, "{\"Name\":\"Stale\"}",
                "If-Unmodified-Since", "Mon, 2 Mar 2026 09:00:30 GMT");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(name(id)).isEqualTo("Fresh");
        assertThat(client.send("PATCH", API + "/sobjects/Account/" + id, "{\"Name\":\"x\"}", "If-Unmodified-Since", "yesterday").status())
                .isEqualTo(400);
    }

    @Test
    void missing_deleted_and_malformed_ids_answer_like_salesforce() {
        String id = sf.create("Account", SyncJson.object().put("Name", "Doomed"));

        assertThat(client.send("DELETE", API + "/sobjects/Account/" + id, null).status()).isEqualTo(204);
        SalesforceClient.Reply again = client.send("DELETE", API + "/sobjects/Account/" + id, null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(client.get(API + "/sobjects/Account/001Fk0000000999").errorCode()).isEqualTo("NOT_FOUND");
        assertThat(client.get(API + "/sobjects/Account/nope").errorCode()).isEqualTo("MALFORMED_ID");
        assertThat(client.send("PUT", API + "/sobjects/Account/" + id, "{}").errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void a_record_reads_with_every_field_or_the_ones_asked_for() {
        String id = sf.create("Account", SyncJson.object().put("Name", "Readable"));

        JsonNode all = client.get(API + "/sobjects/Account/" + id).json();
        JsonNode some = client.get(API + "/sobjects/Account/" + id + "?fields=Name,LastModifiedDate").json();

        assertThat(all.get("Id").asText()).isEqualTo(id);
        assertThat(all.has("External_Id__c")).isTrue();
        assertThat(some.has("Industry")).isFalse();
        assertThat(some.get("LastModifiedDate").asText()).isEqualTo("2026-03-02T09:00:00.000+0000");
    }

    @Test
    void an_upsert_creates_with_201_updates_with_200_and_answers_300_for_several_matches() {
        String path = API + "/sobjects/Account/External_Id__c/EXT-1";
        SalesforceClient.Reply created = client.send("PATCH", path, "{\"Name\":\"One\"}");
        SalesforceClient.Reply updated = client.send("PATCH", path, "{\"Name\":\"Uno\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("created").asBoolean()).isTrue();
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("created").asBoolean()).isFalse();
        assertThat(updated.json().get("id")).isEqualTo(created.json().get("id"));
        assertThat(client.send("PATCH", "/services/data/v45.0/sobjects/Account/External_Id__c/EXT-1", "{\"Name\":\"Old API\"}").status())
                .as("no body for updates before API 46.0").isEqualTo(204);

        sf.create("Contact", SyncJson.object().put("LastName", "A").put("Email", "same@example.com"));
        sf.create("Contact", SyncJson.object().put("LastName", "B").put("Email", "SAME@example.com"));
        SalesforceClient.Reply multiple = client.send("PATCH", API + "/sobjects/Contact/Email/same@example.com", "{\"Title\":\"x\"}");
        assertThat(multiple.status()).isEqualTo(300);
        assertThat(multiple.json()).hasSize(2).allSatisfy(u -> assertThat(u.asText()).startsWith(API + "/sobjects/Contact/003"));

        SalesforceClient.Reply notExternal = client.send("PATCH", API + "/sobjects/Account/Industry/Retail", "{\"Name\":\"x\"}");
        assertThat(notExternal.status()).isEqualTo(404);
        assertThat(notExternal.json().get(0).get("message").asText()).startsWith("Provided external ID field does not exist");
    }

    @Test
    void a_unique_external_id_cannot_be_taken_twice() {
        sf.create("Account", SyncJson.object().put("Name", "First").put("External_Id__c", "K-1"));

        assertThat(client.send("POST", API + "/sobjects/Account", "{\"Name\":\"Second\",\"External_Id__c\":\"k-1\"}").errorCode())
                .isEqualTo("DUPLICATE_VALUE");
    }

    @Test
    void collections_answer_per_record_results_in_order_with_status_codes() {
        String body = "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Good\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Industry\":\"no name\"}]}";

        JsonNode results = client.send("POST", API + "/composite/sobjects", body).json();

        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(0).get("id").asText()).startsWith("001");
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(results.get(1).get("errors").get(0).get("fields").get(0).asText()).isEqualTo("Name");
        assertThat(sf.count("Account")).isEqualTo(1);
    }

    @Test
    void all_or_none_rolls_back_the_valid_records_too() {
        String body = "{\"allOrNone\":true,\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Industry\":\"no name\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Good\"}]}";

        JsonNode results = client.send("POST", API + "/composite/sobjects", body).json();

        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(sf.count("Account")).isZero();
    }

    @Test
    void collections_update_delete_and_upsert() {
        String a = sf.create("Account", SyncJson.object().put("Name", "A"));
        String b = sf.create("Account", SyncJson.object().put("Name", "B"));
        sf.delete("Account", b);

        JsonNode updated = client.send("PATCH", API + "/composite/sobjects", "{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Account\"},\"id\":\"" + a + "\",\"Name\":\"A2\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"id\":\"" + b + "\",\"Name\":\"B2\"},"
                + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"no id\"}]}").json();
        JsonNode upserted = client.send("PATCH", API + "/composite/sobjects/Account/External_Id__c", "{\"allOrNone\":false,\"records\":["
                + "{\"attributes\":{\"type\":\"Account\"},\"External_Id__c\":\"U-1\",\"Name\":\"Upserted\"}]}").json();
        JsonNode deleted = client.send("DELETE", API + "/composite/sobjects?ids=" + a + "," + b + ",junk&allOrNone=false", null).json();

        assertThat(updated.get(0).get("success").asBoolean()).isTrue();
        assertThat(updated.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(updated.get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("MISSING_ARGUMENT");
        assertThat(upserted.get(0).get("created").asBoolean()).isTrue();
        assertThat(deleted.get(0).get("success").asBoolean()).isTrue();
        assertThat(deleted.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(deleted.get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
    }

    @Test
    void more_than_200_records_in_a_collection_are_refused() {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < 201; i++) {
            records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"N").append(i).append("\"}");
        }

        SalesforceClient.Reply r = client.send("POST", API + "/composite/sobjects", "{\"records\":[" + records + "]}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(sf.count("Account")).isZero();
    }

    @Test
    void a_composite_call_runs_collection_subrequests_in_order_and_answers_each() {
        String a = sf.create("Account", SyncJson.object().put("Name", "A"));
        String body = "{\"allOrNone\":false,\"collateSubrequests\":false,\"compositeRequest\":["
                + "{\"method\":\"POST\",\"url\":\"" + API + "/composite/sobjects\",\"referenceId\":\"r1\",\"body\":{\"allOrNone\":false,"
                + "\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Name\":\"New\"}]}},"
                + "{\"method\":\"PATCH\",\"url\":\"" + API + "/composite/sobjects/Account/Industry\",\"referenceId\":\"r2\","
                + "\"body\":{\"records\":[{\"attributes\":{\"type\":\"Account\"},\"Industry\":\"x\"}]}},"
                + "{\"method\":\"DELETE\",\"url\":\"" + API + "/composite/sobjects?ids=" + a + "&allOrNone=false\",\"referenceId\":\"r3\"}]}";

        SalesforceClient.Reply r = client.send("POST", API + "/composite", body);

        JsonNode answers = r.json().get("compositeResponse");
        assertThat(answers).hasSize(3);
        assertThat(answers.get(0).get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(answers.get(0).get("body").get(0).get("success").asBoolean()).isTrue();
        assertThat(answers.get(1).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(answers.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(answers.get(2).get("referenceId").asText()).isEqualTo("r3");
        assertThat(sf.record("Account", a)).isEmpty();
        assertThat(sf.apiRequestsToday()).as("one composite call is one API request").isEqualTo(1);
    }

    @Test
    void composite_subrequests_carry_headers_and_references_and_a_failed_one_halts_its_dependents() {
        String existing = sf.create("Account", SyncJson.object().put("Name", "Existing"));
        clock.advance(Duration.ofMinutes(1));
        String body = "{\"allOrNone\":false,\"collateSubrequests\":false,\"compositeRequest\":["
                + "{\"method\":\"POST\",\"url\":\"" + API + "/sobjects/Account\",\"referenceId\":\"w\",\"body\":{\"Name\":\"New\"}},"
                + "{\"method\":\"GET\",\"url\":\"" + API + "/sobjects/Account/@{w.id}?fields=SystemModstamp\",\"referenceId\":\"v\"},"
                + "{\"method\":\"PATCH\",\"url\":\"" + API + "/sobjects/Account/" + existing + "\",\"referenceId\":\"c\","
                + "\"body\":{\"Name\":\"Stale\"},\"httpHeaders\":{\"If-Unmodified-Since\":\"Mon, 2 Mar 2026 08:00:00 GMT\"}},"
                + "{\"method\":\"POST\",\"url\":\"" + API + "/sobjects/Account\",\"referenceId\":\"bad\",\"body\":{\"Industry\":\"x\"}},"
                + "{\"method\":\"GET\",\"url\":\"" + API + "/sobjects/Account/@{bad.id}\",\"referenceId\":\"after\"}]}";

        JsonNode answers = client.send("POST", API + "/composite", body).json().get("compositeResponse");

        String created = answers.get(0).get("body").get("id").asText();
        assertThat(answers.get(0).get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(answers.get(0).get("httpHeaders").get("Location").asText()).endsWith(created);
        assertThat(answers.get(1).get("body").get("SystemModstamp").asText()).isEqualTo("2026-03-02T09:01:00.000+0000");
        assertThat(answers.get(1).get("body").get("attributes").get("url").asText()).endsWith(created);
        assertThat(answers.get(2).get("httpStatusCode").asInt()).isEqualTo(412);
        assertThat(answers.get(3).get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(answers.get(4).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(name(existing)).isEqualTo("Existing");
        assertThat(sf.compositeSubrequests().entries()).extracting(e -> e.status()).containsExactly(201, 200, 412, 400);
        assertThat(sf.compositeSubrequests().entries().get(2).header("if-unmodified-since")).contains("Mon, 2 Mar 2026 08:00:00 GMT");
    }

    @Test
    void the_delete_log_covers_whole_minutes_within_15_days() {
        String a = sf.create("Account", SyncJson.object().put("Name", "A"));
        String b = sf.create("Account", SyncJson.object().put("Name", "B"));
        clock.advance(Duration.ofMinutes(10));
        sf.delete("Account", a);
        clock.advance(Duration.ofSeconds(90));
        sf.delete("Account", b);
        clock.advance(Duration.ofSeconds(20));

        JsonNode log = client.get(API + "/sobjects/Account/deleted/?start=2026-03-02T09:00:00Z&end=2026-03-02T10:00:00Z").json();

        assertThat(log.get("deletedRecords")).singleElement().satisfies(d -> {
            assertThat(d.get("id").asText()).isEqualTo(a);
            assertThat(d.get("deletedDate").asText()).isEqualTo("2026-03-02T09:10:00.000+0000");
        });
        assertThat(log.get("latestDateCovered").asText()).as("the minute in progress is not covered").isEqualTo("2026-03-02T09:11:00.000+0000");
        assertThat(client.get(API + "/sobjects/Account/deleted/?start=2026-02-01T00:00:00Z&end=2026-03-02T09:11:00Z").errorCode())
                .isEqualTo("INVALID_REPLICATION_DATE");
        assertThat(client.get(API + "/sobjects/Account/deleted/?start=2026-03-02T09:11:00Z&end=2026-03-02T09:11:50Z").errorCode())
                .isEqualTo("INVALID_REPLICATION_DATE");
    }

    @Test
    void a_purged_delete_log_reports_its_earliest_date_and_too_many_ids_are_refused() {
        String a = sf.create("Account", SyncJson.object().put("Name", "A"));
        String b = sf.create("Account", SyncJson.object().put("Name", "B"));
        clock.advance(Duration.ofMinutes(5));
        sf.delete("Account", a);
        sf.delete("Account", b);
        clock.advance(Duration.ofMinutes(5));
        String window = API + "/sobjects/Account/deleted/?start=2026-03-02T09:00:00Z&end=2026-03-02T09:10:00Z";

        sf.deletedIdLimit(1);
        assertThat(client.get(window).errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
        sf.deletedIdLimit(600_000);
        sf.purgeDeleteLog("Account", clock.instant().minus(Duration.ofMinutes(2)));
        JsonNode log = client.get(window).json();
        assertThat(log.get("deletedRecords")).isEmpty();
        assertThat(log.get("earliestDateAvailable").asText()).isEqualTo("2026-03-02T09:08:00.000+0000");
    }
}
