package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.spi.ProviderAdapterFactory;
import com.castiel.sync.spi.ProviderSettings;
import com.castiel.sync.spi.SyncException;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SalesforceSettingsTest {

    private static SalesforceSettings settings(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return SalesforceSettings.from(new ProviderSettings("salesforce", values));
    }

    private static void assertInvalid(String key, String... pairs) {
        assertThatThrownBy(() -> settings(pairs)).isInstanceOf(SyncException.Configuration.class)
                .hasMessageContaining("setting '" + key + "'");
    }

    @Test
    void defaults_are_v62_the_production_login_and_the_refresh_token_flow() {
        SalesforceSettings s = settings();

        assertThat(s.apiVersion()).isEqualTo("v62.0");
        assertThat(s.loginUrl()).hasToString("https://login.salesforce.com");
        assertThat(s.instanceUrl()).isNull();
        assertThat(s.orgId()).isNull();
        assertThat(s.authFlow()).isEqualTo(AuthFlow.REFRESH_TOKEN);
    }

    @Test
    void settings_are_read_and_normalised() {
        SalesforceSettings s = settings("apiVersion", "64.0", "loginUrl", "https://acme.my.salesforce.com/", "instanceUrl",
                "https://acme.my.salesforce.com", "orgId", "00De0000000pmu1", "authFlow", "JWT_Bearer");

        assertThat(s.apiVersion()).isEqualTo("v64.0");
        assertThat(s.loginUrl()).hasToString("https://acme.my.salesforce.com");
        assertThat(s.instanceUrl()).hasToString("https://acme.my.salesforce.com");
        assertThat(s.orgId()).isEqualTo("00De0000000pmu1EAA");
        assertThat(s.authFlow()).isEqualTo(AuthFlow.JWT_BEARER);
    }

    @Test
    void malformed_settings_are_refused_naming_them() {
        assertInvalid("apiVersion", "apiVersion", "latest");
        assertInvalid("apiVersion", "apiVersion", "v45.0");
        assertInvalid("loginUrl", "loginUrl", "login.salesforce.com");
        assertInvalid("loginUrl", "loginUrl", "http://login.salesforce.com");
        assertInvalid("loginUrl", "loginUrl", "https://user:pw@login.salesforce.com");
        assertInvalid("instanceUrl", "instanceUrl", "https://na1.salesforce.com?x=1");
        assertInvalid("orgId", "orgId", "00De0000000pmu");
        assertInvalid("orgId", "orgId", "001D000000IRt53");
        assertInvalid("authFlow", "authFlow", "password");
    }

    @Test
    void plain_http_is_accepted_for_loopback_only() {
        assertThat(settings("loginUrl", "http://127.0.0.1:8443").loginUrl()).hasToString("http://127.0.0.1:8443");
        assertThat(settings("loginUrl", "http://localhost:8443").loginUrl()).hasToString("http://localhost:8443");
    }

    @Test
    void an_instance_url_in_clear_text_from_a_token_answer_is_refused() {
        ScriptedSalesforce context = new ScriptedSalesforce()
                .reply(200, "{\"access_token\":\"at\",\"instance_url\":\"http://eu1.example.com\"}");

        assertThatThrownBy(() -> context.adapter(Map.of()).refreshCredentials(context.credentials))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("instance_url").hasMessageContaining("https");
    }

    @Test
    void the_factory_is_discovered_by_service_loader_with_the_salesforce_id() {
        assertThat(ServiceLoader.load(ProviderAdapterFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.id().equals("salesforce"))).singleElement().isInstanceOf(SalesforceAdapterFactory.class);
    }

    @Test
    void creating_an_adapter_validates_settings_without_any_request() {
        ScriptedSalesforce context = new ScriptedSalesforce();

        assertThatThrownBy(() -> context.adapter(Map.of("apiVersion", "v10.0"))).isInstanceOf(SyncException.Configuration.class);
        assertThat(context.adapter(Map.of()).capabilities()).isEqualTo(new SalesforceAdapterFactory().capabilities());
        assertThat(context.calls).isEmpty();
    }
}
