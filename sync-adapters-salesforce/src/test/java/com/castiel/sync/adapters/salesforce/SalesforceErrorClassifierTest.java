package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SalesforceErrorClassifierTest {

    private static final HttpCall CALL = HttpCall.get(URI.create(
            "https://na1.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Account+WHERE+Name%3D%27secret%27"));

    private static SyncException classify(int status, String code, String message, String... fields) {
        String body = code == null ? "" : "[{\"message\":\"" + message + "\",\"errorCode\":\"" + code + "\",\"fields\":"
                + (fields.length == 0 ? "[]" : "[\"" + String.join("\",\"", fields) + "\"]") + "}]";
        return new SalesforceErrorClassifier().classify(CALL, new HttpReply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8)))
                .orElseThrow();
    }

    @Test
    void successes_are_not_failures() {
        assertThat(new SalesforceErrorClassifier().classify(CALL, new HttpReply(200, Map.of(), new byte[0]))).isEmpty();
        assertThat(new SalesforceErrorClassifier().classify(CALL, new HttpReply(204, Map.of(), new byte[0]))).isEmpty();
    }

    @Test
    void an_expired_session_is_auth_expired() {
        assertThat(classify(401, "INVALID_SESSION_ID", "Session expired or invalid")).isInstanceOf(SyncException.AuthExpired.class);
    }

    @Test
    void sessions_a_refresh_cannot_fix_are_configuration_errors() {
        assertThat(classify(401, "INVALID_SESSION_ID", "This session is not valid for use with the REST API"))
                .isInstanceOf(SyncException.Configuration.class);
        assertThat(classify(401, "INVALID_SESSION_ID", "Connected app is not attached to Agent"))
                .isInstanceOf(SyncException.Configuration.class);
    }

    @Test
    void request_limit_exceeded_is_rate_limited_without_a_delay() {
        assertThat(classify(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
                .isInstanceOfSatisfying(SyncException.RateLimited.class, e -> assertThat(e.retryAfter()).isEmpty());
    }

    @Test
    void other_403s_are_configuration_or_record_errors() {
        assertThat(classify(403, "API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner"))
                .isInstanceOf(SyncException.Configuration.class);
        assertThat(classify(403, "INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id"))
                .isInstanceOf(SyncException.Validation.class);
    }

    @Test
    void gateway_and_maintenance_answers_are_transient() {
        for (int status : List.of(500, 502, 503, 504, 420)) {
            assertThat(classify(status, null, null)).isInstanceOfSatisfying(SyncException.Transient.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
        }
        assertThat(classify(408, null, null)).isInstanceOfSatisfying(SyncException.Transient.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    @Test
    void row_lock_contention_and_collateral_rollbacks_are_transient() {
        assertThat(classify(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")).isInstanceOf(SyncException.Transient.class);
        assertThat(classify(400, "PROCESSING_HALTED", "halted")).isInstanceOf(SyncException.Transient.class);
    }

    @Test
    void bad_requests_and_field_errors_are_validation_naming_the_field() {
        assertThat(classify(400, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Amount must be positive", "Amount"))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Amount"));
        for (int status : List.of(405, 409, 410, 414, 415, 428, 431)) {
            assertThat(classify(status, "X", "y")).isInstanceOf(SyncException.Validation.class);
        }
    }

    @Test
    void not_found_conflict_and_multiple_choices() {
        assertThat(classify(404, "NOT_FOUND", "The requested resource does not exist")).isInstanceOf(SyncException.NotFound.class);
        assertThat(classify(412, "PRECONDITION_FAILED", "changed")).isInstanceOf(SyncException.Conflict.class);
        assertThat(classify(300, null, null)).isInstanceOfSatisfying(SyncException.Validation.class,
                e -> assertThat(e.providerCode()).isEqualTo("MULTIPLE_CHOICES"));
    }

    @Test
    void an_expired_query_locator_is_not_found_whatever_its_status() {
        assertThat(classify(400, "INVALID_QUERY_LOCATOR", "invalid query locator")).isInstanceOf(SyncException.NotFound.class);
        assertThat(classify(404, "INVALID_QUERY_LOCATOR", "invalid query locator")).isInstanceOf(SyncException.NotFound.class);
    }

    @Test
    void messages_name_the_path_but_never_the_query_string() {
        assertThat(classify(400, "MALFORMED_QUERY", "unexpected token").getMessage())
                .contains("GET /services/data/v62.0/query").doesNotContain("secret").doesNotContain("SELECT");
    }

    @Test
    void token_endpoint_refusals() {
        assertThat(TokenErrorClassifier.classify(400, new ErrorBody("invalid_grant", "expired access/refresh token", List.of())))
                .isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED));
        assertThat(TokenErrorClassifier.classify(400, new ErrorBody("invalid_client_id", "client identifier invalid", List.of())))
                .isInstanceOfSatisfying(SyncException.AuthFailed.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
        assertThat(TokenErrorClassifier.classify(400, new ErrorBody("unsupported_grant_type", "grant type not supported", List.of())))
                .isInstanceOf(SyncException.Configuration.class);
        assertThat(TokenErrorClassifier.classify(503, new ErrorBody(null, "", List.of()))).isInstanceOf(SyncException.Transient.class);
        assertThat(TokenErrorClassifier.classify(429, new ErrorBody(null, "", List.of()))).isInstanceOf(SyncException.RateLimited.class);
    }
}
