package com.castiel.sync.testkit.fake;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Selects requests, for fault rules ({@link FaultPlan}) and journal queries
 * ({@link RequestJournal#count(RequestMatcher)}). Must be side-effect free and thread-safe.
 */
@FunctionalInterface
public interface RequestMatcher {

    boolean matches(RequestView request);

    /** Every request. */
    static RequestMatcher any() {
        return r -> true;
    }

    /** Requests with this method (case-insensitive). */
    static RequestMatcher method(String method) {
        Objects.requireNonNull(method, "method");
        return r -> r.method().equalsIgnoreCase(method);
    }

    /** Requests whose path starts with {@code prefix}. */
    static RequestMatcher pathStartsWith(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return r -> r.path().startsWith(prefix);
    }

    /** Requests whose whole path matches the regular expression. */
    static RequestMatcher pathMatches(String regex) {
        Pattern p = Pattern.compile(regex);
        return r -> p.matcher(r.path()).matches();
    }

    /** Requests with this method and a path starting with {@code prefix}. */
    static RequestMatcher call(String method, String prefix) {
        return method(method).and(pathStartsWith(prefix));
    }

    /** Requests matching every one of {@code matchers}. */
    static RequestMatcher allOf(RequestMatcher... matchers) {
        RequestMatcher[] copy = Arrays.copyOf(matchers, matchers.length);
        return r -> Arrays.stream(copy).allMatch(m -> m.matches(r));
    }

    default RequestMatcher and(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) && other.matches(r);
    }

    default RequestMatcher or(RequestMatcher other) {
        Objects.requireNonNull(other, "other");
        return r -> matches(r) || other.matches(r);
    }

    default RequestMatcher negate() {
        return r -> !matches(r);
    }
}
