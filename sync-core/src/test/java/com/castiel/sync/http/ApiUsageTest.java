package com.castiel.sync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiUsageTest {

    @Test
    void salesforce_usage_header_is_read() {
        assertThat(ApiUsage.parseSalesforce("api-usage=10018/100000")).contains(new ApiUsage(10018, 100000));
    }

    @Test
    void usage_is_found_among_other_limit_entries() {
        assertThat(ApiUsage.parseSalesforce("api-usage=12/15000; api-bursts=1/750")).contains(new ApiUsage(12, 15000));
        assertThat(ApiUsage.parseSalesforce("per-app-api-usage=17/250(appName=sample)")).isEmpty();
    }

    @Test
    void a_reply_without_the_header_reports_nothing() {
        assertThat(ApiUsage.of(new HttpReply(200, Map.of(), null))).isEmpty();
        assertThat(ApiUsage.of(new HttpReply(200, Map.of("Sforce-Limit-Info", List.of("api-usage=95000/100000")), null)))
                .hasValueSatisfying(u -> assertThat(u.fraction()).isEqualTo(0.95));
    }

    @Test
    void malformed_values_are_ignored() {
        assertThat(ApiUsage.parseSalesforce("api-usage=5/0")).isEmpty();
        assertThat(ApiUsage.parseSalesforce("api-usage=abc/100")).isEmpty();
        assertThat(ApiUsage.parseSalesforce(null)).isEmpty();
    }
}
