package com.castiel.sync.testkit.fake;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What fault rules and journal queries may look at in a request: method, path, query and
 * headers. Implemented by the live {@link FakeRequest} and by the recorded {@link JournalEntry},
 * so one {@link RequestMatcher} serves both.
 */
public interface RequestView {

    /** HTTP method, upper case. */
    String method();

    /** Decoded path without query string, e.g. {@code /v1/contacts/42}. */
    String path();

    /** Query parameter → values, decoded. */
    Map<String, List<String>> query();

    /** Header name (lower case) → values. In a {@link JournalEntry} secrets are redacted. */
    Map<String, List<String>> headers();

    /** First value of a header, case-insensitive. */
    default Optional<String> header(String name) {
        List<String> v = headers().get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** First value of a query parameter. */
    default Optional<String> queryParam(String name) {
        List<String> v = query().get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }
}
