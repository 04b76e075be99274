package com.castiel.sync.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider's report of how much of its request quota is used, read from reply headers.
 * Salesforce sends {@code Sforce-Limit-Info: api-usage=10018/100000} (possibly followed by
 * {@code ; api-bursts=1/750}) on every REST reply: calls used in the org's rolling 24 hours and
 * the org's allocation.
 *
 * @param used requests used
 * @param limit requests allowed; always positive
 */
public record ApiUsage(long used, long limit) {

    /** Salesforce's usage header, lower case as {@link HttpReply} stores it. */
    public static final String SALESFORCE_HEADER = "sforce-limit-info";

    private static final Pattern API_USAGE = Pattern.compile("(?:^|[;,\\s])api-usage=(\\d+)/(\\d+)");

    public ApiUsage {
        if (used < 0 || limit <= 0) {
            throw new IllegalArgumentException("api usage must have used >= 0 and limit > 0, got " + used + "/" + limit);
        }
    }

    /** The usage a reply reports, or empty when it carries no recognised usage header. */
    public static Optional<ApiUsage> of(HttpReply reply) {
        return reply.header(SALESFORCE_HEADER).flatMap(ApiUsage::parseSalesforce);
    }

    /** Parses a {@code Sforce-Limit-Info} value; empty when it has no well-formed {@code api-usage}. */
    public static Optional<ApiUsage> parseSalesforce(String headerValue) {
        if (headerValue == null) {
            return Optional.empty();
        }
        Matcher m = API_USAGE.matcher(headerValue);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            long used = Long.parseLong(m.group(1));
            long limit = Long.parseLong(m.group(2));
            return limit > 0 ? Optional.of(new ApiUsage(used, limit)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Used share of the quota, 0.0 to (possibly above) 1.0. */
    public double fraction() {
        return (double) used / limit;
    }
}
