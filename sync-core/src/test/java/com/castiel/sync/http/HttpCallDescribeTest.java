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
}
