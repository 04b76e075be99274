package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies REST API replies into the engine's error taxonomy, by error code first and HTTP
 * status second (Salesforce's status table, REST API Developer Guide "Status Codes and Error
 * Responses"):
 *
 * <ul>
 *   <li>{@code INVALID_QUERY_LOCATOR} (400 or 404) → {@code NotFound}: the cursor expired and
 *       the engine restarts from its watermark;</li>
 *   <li>{@code REQUEST_LIMIT_EXCEEDED} (403) → {@code RateLimited} without a delay (Salesforce
 *       sends no {@code Retry-After}; the chain backs off);</li>
 *   <li>401 {@code INVALID_SESSION_ID} → {@code AuthExpired} (refresh once and replay), except
 *       the messages a refresh cannot fix ("This session is not valid for use with the REST
 *       API", "Connected app is not attached to Agent") → {@code Configuration}, so they never
 *       loop;</li>
 *   <li>400 {@code UNABLE_TO_LOCK_ROW}, {@code PROCESSING_HALTED} and
 *       {@code ALL_OR_NONE_OPERATION_ROLLED_BACK} (rolled back because another operation of the
 *       transaction failed), 408, 420, 5xx → {@code Transient};</li>
 *   <li>300 (several external-id matches), other 400s and field errors, 405, 409, 410, 414, 415,
 *       428, 431 → {@code Validation} naming the first field reported;</li>
 *   <li>403 {@code INSUFFICIENT_ACCESS…} → {@code Validation} (this record); other 403s
 *       ({@code API_DISABLED_FOR_ORG}…) → {@code Configuration};</li>
 *   <li>404 → {@code NotFound}; 412 → {@code Conflict}; 429 → {@code RateLimited}.</li>
 * </ul>
 *
 * Messages carry the method, path (never the query string, which holds SOQL) and Salesforce's
 * error code and message. Stateless and thread-safe.
 */
final class SalesforceErrorClassifier implements HttpErrorClassifier {

    /** 401 messages that a new token cannot fix (the jsforce skip list). */
    static final Set<String> NOT_REFRESHABLE = Set.of(
            "This session is not valid for use with the REST API",
            "Connected app is not attached to Agent");

    @Override
    public Optional<SyncException> classify(HttpCall call, HttpReply reply) {
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        return Optional.of(classify(call.method() + " " + (call.uri().getRawPath() == null ? "" : call.uri().getRawPath()),
                reply.status(), ErrorBody.parse(reply.body())));
    }

    /**
     * The failure for a non-2xx reply.
     *
     * @param what the request, for the message (method and path, no query string)
     */
    static SyncException classify(String what, int status, ErrorBody error) {
        String code = error.code();
        SyncException.Details details = SyncException.Details.of(SalesforceSettings.PROVIDER, status, code);
        String message = "Salesforce answered " + status + " " + error.describe() + " to " + what;
        if ("INVALID_QUERY_LOCATOR".equals(code)) {
            return new SyncException.NotFound(message + "; the query cursor expired", details);
        }
        if ("REQUEST_LIMIT_EXCEEDED".equals(code)) {
            return new SyncException.RateLimited(message, null, details);
        }
        if ("UNABLE_TO_LOCK_ROW".equals(code) || "PROCESSING_HALTED".equals(code) || "ALL_OR_NONE_OPERATION_ROLLED_BACK".equals(code)) {
            // lock contention, or collateral of another record's failure in the same transaction
            return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details);
        }
        return switch (status) {
            case 401 -> NOT_REFRESHABLE.contains(error.message())
                    ? new SyncException.Configuration(message + "; the connected app or session type does not allow REST API "
                    + "access, which a new token cannot fix", details)
                    : new SyncException.AuthExpired(message, details);
            case 403 -> code != null && code.startsWith("INSUFFICIENT_ACCESS")
                    ? new SyncException.Validation(message, error.field(), details)
                    : new SyncException.Configuration(message, details);
            case 404 -> new SyncException.NotFound(message, details);
            case 412 -> new SyncException.Conflict(message + "; the record changed since the given time", details);
            case 408 -> new SyncException.Transient(ErrorCode.TIMEOUT, message, details);
            case 429 -> new SyncException.RateLimited(message, null, details);
            case 420 -> new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details);
            case 300 -> new SyncException.Validation("Salesforce answered 300: the external id matches several records ("
                    + what + ")", null, SyncException.Details.of(SalesforceSettings.PROVIDER, status, "MULTIPLE_CHOICES"));
            default -> status >= 500
                    ? new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details)
                    : new SyncException.Validation(message, error.field(), details);
        };
    }

    /**
     * The failure of one record inside an sObject Collections answer ({@code success: false}).
     * Collateral failures of a rolled-back batch ({@code ALL_OR_NONE_OPERATION_ROLLED_BACK},
     * {@code PROCESSING_HALTED}) and lock contention are retryable; a missing or deleted record is
     * {@code NotFound}; everything else is a {@code Validation} of that record.
     */
    static SyncException recordFailure(String what, ErrorBody error) {
        String code = error.code() == null ? "UNKNOWN" : error.code();
        SyncException.Details details = SyncException.Details.of(SalesforceSettings.PROVIDER, 200, code);
        String message = "Salesforce refused the record (" + error.describe() + ") in " + what;
        return switch (code) {
            case "ALL_OR_NONE_OPERATION_ROLLED_BACK", "PROCESSING_HALTED", "UNABLE_TO_LOCK_ROW" ->
                    new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, details);
            case "REQUEST_LIMIT_EXCEEDED" -> new SyncException.RateLimited(message, null, details);
            case "ENTITY_IS_DELETED", "NOT_FOUND" -> new SyncException.NotFound(message, details);
            case "INVALID_CROSS_REFERENCE_KEY" -> error.fields().isEmpty()
                    ? new SyncException.NotFound(message, details)
                    : new SyncException.Validation(message, error.field(), details);
            default -> new SyncException.Validation(message, error.field(), details);
        };
    }
}
