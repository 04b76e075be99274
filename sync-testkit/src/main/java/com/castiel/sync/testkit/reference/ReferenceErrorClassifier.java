package com.castiel.sync.testkit.reference;

import com.castiel.sync.http.HttpCall;
import com.castiel.sync.http.HttpErrorClassifier;
import com.castiel.sync.http.HttpReply;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.SyncException.Details;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Maps the reference provider's replies to the engine's error taxonomy. One instance classifies
 * API replies ({@link #API}), another token-endpoint replies ({@link #TOKEN_ENDPOINT}), because
 * the same status means different things there: a 401 from the API is an expired access token
 * (refresh and replay), a 401 from the token endpoint is a refused client (re-authorise).
 *
 * <table>
 * <caption>API replies</caption>
 * <tr><th>reply</th><th>failure</th></tr>
 * <tr><td>401</td><td>{@code AuthExpired}: the host refreshes once and replays</td></tr>
 * <tr><td>403</td><td>{@code AuthFailed}</td></tr>
 * <tr><td>404 {@code unknown_entity}</td><td>{@code Configuration}: the mapping names an entity the provider lacks</td></tr>
 * <tr><td>404</td><td>{@code NotFound}</td></tr>
 * <tr><td>400 {@code invalid_cursor}</td><td>{@code NotFound}: the engine restarts from its watermark</td></tr>
 * <tr><td>400 {@code invalid_field}/{@code invalid_parameter} on a read</td><td>{@code Configuration} naming the field</td></tr>
 * <tr><td>other 400, 409, 422</td><td>{@code Validation} with the field the provider named</td></tr>
 * <tr><td>412</td><td>{@code Conflict}</td></tr>
 * <tr><td>408</td><td>{@code Transient TIMEOUT}</td></tr>
 * <tr><td>429</td><td>{@code RateLimited} with {@code Retry-After}</td></tr>
 * <tr><td>5xx</td><td>{@code Transient SERVICE_UNAVAILABLE} with {@code Retry-After}</td></tr>
 * </table>
 *
 * <p>Messages carry the method, the path (never the query string) and the provider's own
 * message, which never contains credentials. Stateless and thread-safe.
 */
public final class ReferenceErrorClassifier implements HttpErrorClassifier {

    /** For calls to the {@code /v1} API. */
    public static final ReferenceErrorClassifier API = new ReferenceErrorClassifier(false);

    /** For calls to the token endpoint. */
    public static final ReferenceErrorClassifier TOKEN_ENDPOINT = new ReferenceErrorClassifier(true);

    private static final String PROVIDER = "reference";

    private final boolean tokenEndpoint;

    private ReferenceErrorClassifier(boolean tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    @Override
    public Optional<SyncException> classify(HttpCall call, HttpReply reply) {
        if (reply.isSuccess()) {
            return Optional.empty();
        }
        ProviderError error = ProviderError.of(reply.body());
        Duration retryAfter = retryAfter(reply);
        String where = call.describe();
        return Optional.of(tokenEndpoint
                ? tokenFailure(reply.status(), error, retryAfter, where)
                : apiFailure(reply.status(), error, retryAfter, call.method().equals("GET"), where));
    }

    /**
     * Classifies one API failure; also used for the per-operation results of a batch, which
     * carry the same error bodies.
     */
    static SyncException apiFailure(int status, ProviderError error, Duration retryAfter, boolean read, String where) {
        Details details = Details.of(PROVIDER, status, error.code());
        String message = PROVIDER + ": " + where + " answered " + status + (error.code() == null ? "" : " " + error.code())
                + (error.message() == null ? "" : ": " + error.message());
        return switch (status) {
            case 401 -> new SyncException.AuthExpired(message, details);
            case 403 -> new SyncException.AuthFailed(message, details);
            case 404 -> "unknown_entity".equals(error.code())
                    ? new SyncException.Configuration(message, details)
                    : new SyncException.NotFound(message, details);
            case 412 -> new SyncException.Conflict(message, details);
            case 408 -> new SyncException.Transient(ErrorCode.TIMEOUT, message, retryAfter, details, null);
            case 429 -> new SyncException.RateLimited(message, retryAfter, details);
            default -> {
                if (status >= 500) {
                    yield new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, retryAfter, details, null);
                }
                if ("invalid_cursor".equals(error.code())) {
                    yield new SyncException.NotFound(message, details);
                }
                if (read && ("invalid_field".equals(error.code()) || "invalid_parameter".equals(error.code()))) {
                    yield new SyncException.Configuration(message
                            + (error.field() == null ? "" : " (check the mapping's field or filter '" + error.field() + "')"), details);
                }
                yield new SyncException.Validation(message, error.field(), details);
            }
        };
    }

    private static SyncException tokenFailure(int status, ProviderError error, Duration retryAfter, String where) {
        Details details = Details.of(PROVIDER, status, error.code());
        String message = PROVIDER + ": token request to " + where + " answered " + status
                + (error.code() == null ? "" : " " + error.code()) + (error.message() == null ? "" : ": " + error.message());
        if (status == 429) {
            return new SyncException.RateLimited(message, retryAfter, details);
        }
        if (status >= 500) {
            return new SyncException.Transient(ErrorCode.SERVICE_UNAVAILABLE, message, retryAfter, details, null);
        }
        if (status == 401 || "invalid_client".equals(error.code())) {
            return new SyncException.AuthFailed(ErrorCode.INVALID_CREDENTIALS, message, details);
        }
        if ("invalid_grant".equals(error.code())) {
            return new SyncException.AuthFailed(ErrorCode.AUTHENTICATION_FAILED, message, details);
        }
        return new SyncException.Configuration(message, details);
    }

    /** {@code Retry-After} in delta-seconds (the only form the reference provider sends). */
    private static Duration retryAfter(HttpReply reply) {
        return reply.header("retry-after").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.trim());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    /**
     * The error parts of a reply body: {@code {"error":{"code","message","field"}}} from the API,
     * {@code {"error":"…","error_description":"…"}} from the token endpoint; all {@code null}
     * when the body is neither (a proxy's HTML page).
     */
    record ProviderError(String code, String message, String field) {

        static ProviderError of(byte[] body) {
            try {
                return of(SyncJson.mapper().readTree(body));
            } catch (IOException e) {
                return new ProviderError(null, null, null);
            }
        }

        static ProviderError of(JsonNode node) {
            if (node == null) {
                return new ProviderError(null, null, null);
            }
            JsonNode error = node.path("error");
            if (error.isTextual()) {
                return new ProviderError(error.asText(), text(node.path("error_description")), null);
            }
            return new ProviderError(text(error.path("code")), text(error.path("message")), text(error.path("field")));
        }

        private static String text(JsonNode n) {
            return n.isTextual() ? n.asText() : null;
        }
    }
}
