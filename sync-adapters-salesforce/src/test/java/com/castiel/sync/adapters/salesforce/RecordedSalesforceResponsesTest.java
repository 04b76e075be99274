package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.model.WebhookPayload;
import com.castiel.sync.spi.ChangeNotice;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.FetchRequest;
import com.castiel.sync.spi.Page;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WebhookRequest;
import com.castiel.sync.spi.WebhookVerdict;
import com.castiel.sync.spi.WriteRequest;
import com.castiel.sync.spi.WriteResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;

/**
 * Every recorded Salesforce response in {@code shared/providers/recorded/salesforce/} (next to
 * the repository, see {@code SOURCES-salesforce-dataverse.md} there) goes through the adapter's
 * own response handling and is classified as the facts file says. Skipped, with the reason
 * printed, when that directory is not there (a checkout outside this layout); the system
 * property {@code castiel.recorded.salesforce} may point at it.
 */
class RecordedSalesforceResponsesTest {

    private static final String ORG_IN_RECORDING = "00De0000000pmu1EAA";

    /** A fresh scripted org per recorded file. */
    private ScriptedSalesforce sf = new ScriptedSalesforce();

    private final Map<String, Consumer<String>> expectations = new LinkedHashMap<>();

    RecordedSalesforceResponsesTest() {
        expectations.put("query_page_first.json", this::queryPageFirst);
        expectations.put("query_page_last.json", this::queryPageLast);
        expectations.put("error_401_expired_session.json", body -> assertThat(classify(401, body))
                .isInstanceOfSatisfying(SyncException.AuthExpired.class, e -> assertThat(e.providerCode()).isEqualTo("INVALID_SESSION_ID")));
        expectations.put("error_examples_rest.json", this::errorExamples);
        expectations.put("get_deleted.json", this::getDeleted);
        expectations.put("get_updated.json", this::getUpdated);
        expectations.put("create_success.json", this::createSuccess);
        expectations.put("upsert_300_multiple_matches.json", this::upsertMultipleMatches);
        expectations.put("upsert_error_not_found.json", this::upsertUnknownField);
        expectations.put("write_error_invalid_field.json", this::writeInvalidField);
        expectations.put("collections_create_request.json", this::collectionsRequestShape);
        expectations.put("collections_create_partial_allornone_false.json", this::collectionsPartial);
        expectations.put("collections_create_partial_allornone_true.json", this::collectionsRolledBack);
        expectations.put("composite_response_success.json", this::compositeSuccess);
        expectations.put("composite_response_failure.json", this::compositeFailure);
        expectations.put("oauth_token_success.json", this::tokenSuccess);
        expectations.put("oauth_refresh_success.json", this::refreshSuccess);
        expectations.put("oauth_token_raw_nango_issue327.json", this::rotatedRefreshToken);
        expectations.put("oauth_refresh_error_invalid_grant.json", this::invalidGrant);
        expectations.put("outbound_message_notification.xml", this::outboundNotification);
        expectations.put("outbound_message_ack.xml", this::outboundAck);
    }

    /** The recorded directory: {@code castiel.recorded.salesforce}, or {@code shared/…} beside an ancestor of the working directory. */
    static Optional<Path> recordedDirectory() {
        String configured = System.getProperty("castiel.recorded.salesforce");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isDirectory);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("providers").resolve("recorded").resolve("salesforce");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Path requireRecorded() {
        Optional<Path> dir = recordedDirectory();
        if (dir.isEmpty()) {
            String reason = "recorded Salesforce responses not found (no shared/providers/recorded/salesforce above "
                    + Path.of("").toAbsolutePath() + ", and -Dcastiel.recorded.salesforce names no directory); "
                    + "skipping the recorded-response checks";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return dir.get();
    }

    private static Set<String> files(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void every_recorded_file_has_an_expectation() {
        Path dir = requireRecorded();
        assertThat(expectations.keySet()).as("recorded files without an expectation in this test")
                .containsExactlyInAnyOrderElementsOf(files(dir));
    }

    @TestFactory
    Stream<DynamicTest> each_recorded_file_is_handled_and_classified() {
        Path dir = requireRecorded();
        return files(dir).stream().filter(expectations::containsKey).map(name -> DynamicTest.dynamicTest(name, () -> {
            String body = Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
            sf = new ScriptedSalesforce();
            expectations.get(name).accept(body);
        }));
    }

    // ---------------------------------------------------------------- expectations

    private SyncException classify(int status, String body) {
        HttpCall call = HttpCall.get(URI.create("https://na1.salesforce.com/services/data/v62.0/query"));
        return new SalesforceErrorClassifier().classify(call, new HttpReply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8)))
                .orElseThrow(() -> new AssertionError("status " + status + " classified as success"));
    }

    /**
     * Scripts the composite answer of a single write: the recorded body as the write
     * subrequest's answer, and the version read that follows it (halted when the write failed).
     */
    private void writeAnswered(int status, String recordedBody) {
        boolean ok = status >= 200 && status < 300;
        String version = ok
                ? "{\"body\":{\"attributes\":{\"type\":\"Account\"},\"SystemModstamp\":\"2026-03-02T09:00:00.000+0000\"},"
                        + "\"httpHeaders\":{},\"httpStatusCode\":200,\"referenceId\":\"version\"}"
                : "{\"body\":[{\"errorCode\":\"PROCESSING_HALTED\",\"message\":\"Invalid reference specified.\"}],"
                        + "\"httpHeaders\":{},\"httpStatusCode\":400,\"referenceId\":\"version\"}";
        sf.reply(200, "{\"compositeResponse\":[{\"body\":" + recordedBody + ",\"httpHeaders\":{},\"httpStatusCode\":" + status
                + ",\"referenceId\":\"write\"}," + version + "]}");
    }

    private ProviderAdapter adapter() {
        return sf.adapter(Map.of("orgId", ORG_IN_RECORDING));
    }

    private void queryPageFirst(String body) {
        QueryResult result = QueryResult.parse(SyncJson.tree(body));
        assertThat(result.totalSize()).isEqualTo(2);
        assertThat(result.done()).isFalse();
        assertThat(result.nextRecordsUrl()).isEqualTo("/services/data/v26.0/query/01gD");
        assertThat(result.rows()).singleElement().satisfies(r -> assertThat(r.get("Text_Label").asText()).isEqualTo("First Page"));
        // the synthetic rows carry no Id, which the adapter always selects: such a row is refused, not invented
        assertThatThrownBy(() -> adapter().fetch(request().withCursor(result.nextRecordsUrl())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("/services/data/v26.0/query/01gD");
        sf.reply(200, body);
        assertThatThrownBy(() -> adapter().fetch(request().withCursor(result.nextRecordsUrl())))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Id"));
    }

    private void queryPageLast(String body) {
        QueryResult result = QueryResult.parse(SyncJson.tree(body));
        assertThat(result.done()).isTrue();
        assertThat(result.nextRecordsUrl()).isNull();
        assertThat(result.rows()).hasSize(1);
        ObjectNode withId = (ObjectNode) SyncJson.tree(body);
        ((ObjectNode) withId.get("records").get(0)).put("Id", "a00D0000008pQRA");
        sf.reply(200, withId.toString());
        Page page = adapter().fetch(request().withCursor("/services/data/v26.0/query/01gD"));
        assertThat(page.done()).isTrue();
        assertThat(page.records()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("a00D0000008pQRAIA2");
            assertThat(r.fields().get("Text_Label").asText()).isEqualTo("Last Page");
            assertThat(r.fields().has("attributes")).isFalse();
        });
    }

    private void errorExamples(String body) {
        JsonNode examples = SyncJson.tree(body);
        assertThat(classify(400, examples.get("malformed_id_400").toString())).isInstanceOfSatisfying(SyncException.Validation.class, e -> {
            assertThat(e.field()).isEqualTo("Id");
            assertThat(e.providerCode()).isEqualTo("MALFORMED_ID");
            assertThat(e.retryable()).isFalse();
        });
        assertThat(classify(404, examples.get("not_found_404").toString())).isInstanceOfSatisfying(SyncException.NotFound.class,
                e -> assertThat(e.providerCode()).isEqualTo("NOT_FOUND"));
    }

    private void getDeleted(String body) {
        Page page = DeletedRecords.tombstones("Custom__c", SyncJson.tree(body), new Watermark(Instant.parse("2013-05-04T00:00:00Z"), ""));
        assertThat(page.done()).isTrue();
        assertThat(page.records()).singleElement().satisfies(t -> {
            assertThat(t.deleted()).isTrue();
            assertThat(t.id()).isEqualTo("a00D0000008pQRAIA2");
            assertThat(t.modifiedAt()).isEqualTo(Instant.parse("2013-05-07T22:07:19Z"));
        });
        assertThatThrownBy(() -> DeletedRecords.tombstones("Custom__c", SyncJson.tree(body),
                new Watermark(Instant.parse("2013-05-01T00:00:00Z"), "")))
                .as("the log starts after this watermark: deletions were lost")
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.providerCode()).isEqualTo("DELETE_LOG_PURGED"));
    }

    private void getUpdated(String body) {
        // the adapter reads changes with SOQL on SystemModstamp instead of this resource; its ids are already canonical
        JsonNode updated = SyncJson.tree(body);
        assertThat(updated.get("ids")).hasSize(7).allSatisfy(id -> assertThat(SalesforceId.normalise(id.asText())).contains(id.asText()));
        assertThat(SalesforceDates.parse(updated.get("latestDateCovered").asText())).contains(Instant.parse("2015-08-19T08:17:00Z"));
    }

    private void createSuccess(String body) {
        writeAnswered(201, body);
        assertThat(adapter().write(WriteRequest.create("Account", SyncJson.object().put("Name", "x"))))
                .isInstanceOfSatisfying(WriteResult.Written.class, w -> {
                    assertThat(w.externalId()).isEqualTo("some_id");
                    assertThat(w.created()).isTrue();
                    assertThat(w.version()).isEqualTo("2026-03-02T09:00:00Z");
                });
        JsonNode sent = SyncJson.tree(new String(sf.calls.get(0).body(), StandardCharsets.UTF_8));
        assertThat(sent.get("compositeRequest").get(0).get("url").asText()).isEqualTo("/services/data/v62.0/sobjects/Account");
        assertThat(sent.get("compositeRequest").get(1).get("url").asText())
                .isEqualTo("/services/data/v62.0/sobjects/Account/@{write.id}?fields=SystemModstamp");
    }

    private void upsertMultipleMatches(String body) {
        writeAnswered(300, body);
        WriteResult r = adapter().write(WriteRequest.upsert("Whizbang", "External__c", "k", SyncJson.object()));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(300);
                    assertThat(e.retryable()).isFalse();
                }));
    }

    private void upsertUnknownField(String body) {
        assertThat(classify(404, body)).isInstanceOf(SyncException.NotFound.class);
        writeAnswered(404, body);
        WriteResult r = adapter().write(WriteRequest.upsert("Whizbang", "Namez", "k", SyncJson.object()));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error())
                .as("on the upsert resource the 404 names the field, not a missing record")
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Namez")));
    }

    private void writeInvalidField(String body) {
        writeAnswered(400, body);
        WriteResult r = adapter().write(WriteRequest.update("Bar", "a00D0000008pQRAIA2", SyncJson.object().put("foo", 1)));
        assertThat(r).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.providerCode()).isEqualTo("INVALID_FIELD");
                    assertThat(e.getMessage()).contains("No such column 'foo'");
                }));
    }

    private void collectionsRequestShape(String body) {
        JsonNode recorded = SyncJson.tree(body);
        sf.reply(200, "[{\"id\":\"001RM000003oLnnYAE\",\"success\":true,\"errors\":[]}]");
        JsonNode account = recorded.get("records").get(0);
        ObjectNode fields = account.deepCopy();
        fields.remove("attributes");
        adapter().writeBatch(List.of(WriteRequest.create("Account", fields)));
        JsonNode sent = SyncJson.tree(new String(sf.calls.get(0).body(), StandardCharsets.UTF_8));
        assertThat(sf.calls.get(0).uri().getPath()).isEqualTo("/services/data/v62.0/composite/sobjects");
        assertThat(sf.calls.get(0).method()).isEqualTo("POST");
        assertThat(sent.get("allOrNone")).isEqualTo(recorded.get("allOrNone"));
        assertThat(sent.get("records").get(0)).isEqualTo(account);
    }

    private void collectionsPartial(String body) {
        List<WriteResult> results = RecordWriter.results(SyncJson.tree(body), 200, "Contact", 2, null, false);
        assertThat(results.get(0)).isInstanceOfSatisfying(WriteResult.Failed.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.providerCode()).isEqualTo("DUPLICATES_DETECTED")));
        assertThat(results.get(1)).isInstanceOfSatisfying(WriteResult.Written.class, w -> {
            assertThat(w.externalId()).isEqualTo("003RM0000068xVCYAY");
            assertThat(w.created()).isTrue();
        });
    }

    private void collectionsRolledBack(String body) {
        List<WriteResult> results = RecordWriter.results(SyncJson.tree(body), 200, "Contact", 2, null, false);
        assertThat(((WriteResult.Failed) results.get(0)).error()).isInstanceOf(SyncException.Validation.class);
        assertThat(((WriteResult.Failed) results.get(1)).error()).as("rolled back because of the other record: retryable")
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> {
                    assertThat(e.providerCode()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
                    assertThat(e.retryable()).isTrue();
                });
    }

    private void compositeSuccess(String body) {
        JsonNode subs = SyncJson.tree(body).get("compositeResponse");
        for (JsonNode sub : subs) {
            assertThat(sub.get("httpStatusCode").asInt()).isEqualTo(201);
            assertThat(sub.get("body").get("success").asBoolean()).isTrue();
            assertThat(ErrorBody.of(sub.get("body").get("errors")).code()).isNull();
        }
        // both ids share their first 15 characters; only UAG is the case-safe suffix of that base
        // (the recording was evidently edited), and normalising repairs the other to it
        assertThat(SalesforceId.normalise(subs.get(1).get("body").get("id").asText())).contains("a1V3E000000EXomUAG");
        assertThat(SalesforceId.normalise(subs.get(0).get("body").get("id").asText())).contains("a1V3E000000EXomUAG");
    }

    private void compositeFailure(String body) {
        JsonNode subs = SyncJson.tree(body).get("compositeResponse");
        SyncException halted = SalesforceErrorClassifier.classify("composite subrequest", subs.get(0).get("httpStatusCode").asInt(),
                ErrorBody.of(subs.get(0).get("body")));
        SyncException invalid = SalesforceErrorClassifier.classify("composite subrequest", subs.get(1).get("httpStatusCode").asInt(),
                ErrorBody.of(subs.get(1).get("body")));
        assertThat(halted).as("halted because another subrequest failed: retryable")
                .isInstanceOfSatisfying(SyncException.Transient.class, e -> assertThat(e.providerCode()).isEqualTo("PROCESSING_HALTED"));
        assertThat(invalid).isInstanceOfSatisfying(SyncException.Validation.class, e -> {
            assertThat(e.providerCode()).isEqualTo("INVALID_FIELD");
            assertThat(e.getMessage()).contains("Invoice_External_Id__c");
        });
    }

    private Credentials refresh(String tokenBody) {
        sf.reply(200, tokenBody);
        return adapter().refreshCredentials(sf.credentials);
    }

    private void tokenSuccess(String body) {
        Credentials next = refresh(body);
        assertThat(next.accessToken()).startsWith("00Dx0000000BV7z!");
        assertThat(next.instanceUrl()).isEqualTo("https://na1.salesforce.com");
        assertThat(next.expiresAt()).as("Salesforce sends no expires_in").isNull();
        assertThat(next.refreshToken()).isEqualTo("stored-refresh");
        HttpCall call = sf.calls.get(0);
        assertThat(call.uri().toString()).isEqualTo("https://login.salesforce.com/services/oauth2/token");
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).contains("grant_type=refresh_token").contains("refresh_token=stored-refresh");
    }

    private void refreshSuccess(String body) {
        Credentials next = refresh(body);
        assertThat(next.accessToken()).isEqualTo("refreshed_access_token");
        assertThat(next.refreshToken()).isEqualTo("stored-refresh");
        assertThat(next.properties()).containsEntry("client_id", "cid");
    }

    private void rotatedRefreshToken(String body) {
        Credentials next = refresh(body);
        assertThat(next.refreshToken()).as("a rotated refresh token replaces the stored one").isEqualTo("REDACTED");
        assertThat(next.instanceUrl()).isEqualTo("https://nango-dev-ed.develop.my.salesforce.com");
    }

    private void invalidGrant(String body) {
        sf.reply(400, body);
        assertThatThrownBy(() -> adapter().refreshCredentials(sf.credentials)).isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.getMessage()).contains("expired access/refresh token").doesNotContain("stored-refresh");
        });
    }

    private void outboundNotification(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        WebhookRequest request = new WebhookRequest("POST", Map.of("content-type", List.of("text/xml; charset=utf-8")), Map.of(), bytes,
                ScriptedSalesforce.NOW);
        assertThat(adapter().verifyWebhook(request)).isInstanceOf(WebhookVerdict.Accept.class);
        assertThat(sf.adapter(Map.of("orgId", "00D000000000001AAA")).verifyWebhook(request))
                .isInstanceOfSatisfying(WebhookVerdict.Reject.class, r -> assertThat(r.status()).isEqualTo(401));
        List<ChangeNotice> notices = adapter().parseWebhook(new WebhookPayload("text/xml", body, Map.of(), ScriptedSalesforce.NOW));
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.entity()).isEqualTo("State_Province__c");
            assertThat(n.externalId()).isEqualTo("a29e0000000K4P0AAK");
            assertThat(n.notificationId()).isEqualTo("04le0000004lnFFAAY");
            assertThat(n.record()).as("no SystemModstamp in the message: the engine refetches").isNull();
        });
        assertThat(sf.calls).as("verification and parsing make no requests").isEmpty();
    }

    private void outboundAck(String body) {
        Document recorded = xml(body.getBytes(StandardCharsets.UTF_8));
        Document ours = xml(OutboundMessage.ackBytes());
        for (Document d : List.of(recorded, ours)) {
            assertThat(d.getDocumentElement().getLocalName()).isEqualTo("Envelope");
            assertThat(d.getElementsByTagNameNS(OutboundMessage.NAMESPACE, "notificationsResponse").getLength()).isEqualTo(1);
            assertThat(d.getElementsByTagNameNS(OutboundMessage.NAMESPACE, "Ack").item(0).getTextContent()).isEqualTo("true");
        }
    }

    private static FetchRequest request() {
        return new FetchRequest("Whizbang", List.of("Text_Label"), List.of(), null, null, null, 200);
    }

    private static Document xml(byte[] bytes) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
        } catch (Exception e) {
            throw new AssertionError("not XML", e);
        }
    }
}
