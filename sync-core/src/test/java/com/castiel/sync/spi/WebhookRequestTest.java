package com.castiel.sync.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookRequestTest {

    @Test
    void to_string_shows_no_signature_query_value_or_body() {
        WebhookRequest request = new WebhookRequest("POST", Map.of("X-Zm-Signature", List.of("v0=sig-secret")),
                Map.of("validationToken", List.of("token-secret")),
                "{\"clientState\":\"state-secret\"}".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-02T10:00:00Z"));

        assertThat(request.toString())
                .contains("POST", "x-zm-signature", "validationToken")
                .doesNotContain("sig-secret", "token-secret", "state-secret");
    }

    @Test
    void header_names_are_case_insensitive() {
        WebhookRequest request = new WebhookRequest("POST", Map.of("X-Zm-Signature", List.of("v0=abc")), null, null, null);

        assertThat(request.header("x-zm-signature")).contains("v0=abc");
        assertThat(request.header("X-ZM-SIGNATURE")).contains("v0=abc");
    }
}
