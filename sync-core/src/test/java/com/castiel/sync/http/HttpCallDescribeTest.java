package com.castiel.sync.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpCallDescribeTest {

    @Test
    void description_leaves_out_query_fragment_and_user_info() {
        HttpCall call = HttpCall.get(URI.create("https://user:hunter2@api.example.com:8443/v2/calls?access_token=abc#frag"));

        assertThat(call.describe()).isEqualTo("GET https://api.example.com:8443/v2/calls");
    }

    @Test
    void description_without_port_shows_host_and_path() {
        assertThat(HttpCall.get(URI.create("https://acme.my.salesforce.com/services/data/v60.0/query?q=SELECT")).describe())
                .isEqualTo("GET https://acme.my.salesforce.com/services/data/v60.0/query");
    }
    @Test
    void to_string_shows_no_header_value_query_or_body() {
        HttpCall call = HttpCall.form(URI.create("https://login.example.com/oauth/token?code=c0de-secret"), "refresh_token=rt-secret")
                .withHeader("Authorization", "Bearer at-secret");

        assertThat(call.toString())
                .contains("POST https://login.example.com/oauth/token", "authorization")
                .doesNotContain("at-secret", "c0de-secret", "rt-secret");
    }

    @Test
    void a_reply_shows_no_header_value_or_body() {
        HttpReply reply = new HttpReply(200, java.util.Map.of("Set-Cookie", java.util.List.of("sid=cookie-secret")),
                "{\"access_token\":\"at-secret\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(reply.toString()).contains("200", "set-cookie").doesNotContain("cookie-secret", "at-secret");
    }
}
