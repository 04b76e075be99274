package com.castiel.sync.azure.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.azure.AzurePorts;
import com.castiel.sync.inbound.InboundSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureSettingsTest {

    private static final String CONNECTION = "Endpoint=sb://sb-sync-test.servicebus.windows.net/;SharedAccessKeyName=app;SharedAccessKey=c2VjcmV0LWtleQ==";

    private static Map<String, String> withKeys() {
        Map<String, String> env = new HashMap<>();
        env.put("SERVICEBUS_SYNC_CONNECTION", CONNECTION);
        env.put("KEY_VAULT_URL", "https://kv-sync-test.vault.azure.net/");
        env.put("EVENTGRID_ENDPOINT", "https://egt-sync-test.westeurope-1.eventgrid.azure.net/api/events");
        env.put("EVENTGRID_KEY", "topic-key-value");
        env.put("COSMOS_ENDPOINT", "https://cosmos-sync-test.documents.azure.com:443/");
        env.put("COSMOS_KEY", "cosmos-key-value");
        return env;
    }

    @Test
    void theSeedsVariablesAreReadWithTheSeedsDefaults() {
        AzureSettings s = AzureSettings.from(withKeys());

        assertThat(s.serviceBusConnectionString()).isEqualTo(CONNECTION);
        assertThat(s.keyVaultUrl()).isEqualTo("https://kv-sync-test.vault.azure.net/");
        assertThat(s.eventGridKey()).isEqualTo("topic-key-value");
        assertThat(s.cosmosKey()).isEqualTo("cosmos-key-value");
        assertThat(s.cosmosDatabase()).isEqualTo("castiel-sync");
        assertThat(s.maxRecordsPerSync()).isEqualTo(1000);
        assertThat(s.maxConcurrentSyncs()).isEqualTo(3);
        assertThat(s.serviceBusUsesIdentity()).isFalse();
        assertThat(s.eventGridUsesIdentity()).isFalse();
        assertThat(s.cosmosUsesIdentity()).isFalse();
    }

    @Test
    void withoutKeysEveryServiceUsesTheManagedIdentity() {
        Map<String, String> env = withKeys();
        env.remove("SERVICEBUS_SYNC_CONNECTION");
        env.remove("EVENTGRID_KEY");
        env.put("COSMOS_KEY", "  ");
        env.put("SERVICEBUS_SYNC_CONNECTION__fullyQualifiedNamespace", "sb-sync-test.servicebus.windows.net");

        AzureSettings s = AzureSettings.from(env);

        assertThat(s.serviceBusUsesIdentity()).isTrue();
        assertThat(s.serviceBusNamespace()).isEqualTo("sb-sync-test.servicebus.windows.net");
        assertThat(s.eventGridUsesIdentity()).isTrue();
        assertThat(s.cosmosUsesIdentity()).isTrue();
    }

    @Test
    void aMissingServiceBusConnectionNamesBothWaysToSetIt() {
        Map<String, String> env = withKeys();
        env.remove("SERVICEBUS_SYNC_CONNECTION");

        assertThatThrownBy(() -> AzureSettings.from(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SERVICEBUS_SYNC_CONNECTION").hasMessageContaining("fullyQualifiedNamespace");
    }

    @Test
    void aMissingRequiredVariableIsNamed() {
        Map<String, String> env = withKeys();
        env.remove("COSMOS_ENDPOINT");

        assertThatThrownBy(() -> AzureSettings.from(env)).hasMessage("COSMOS_ENDPOINT must be set");
    }

    @Test
    void aMalformedLimitIsNamedWithItsValue() {
        Map<String, String> env = withKeys();
        env.put("MAX_CONCURRENT_SYNCS", "three");

        assertThatThrownBy(() -> AzureSettings.from(env)).hasMessageContaining("MAX_CONCURRENT_SYNCS").hasMessageContaining("three");
    }

    @Test
    void endpointsMustBeHttps() {
        Map<String, String> env = withKeys();
        env.put("KEY_VAULT_URL", "http://kv.example");

        assertThatThrownBy(() -> AzureSettings.from(env)).hasMessageContaining("KEY_VAULT_URL");
    }

    @Test
    void toStringShowsNoKeyOrConnectionString() {
        String text = AzureSettings.from(withKeys()).toString();

        assertThat(text).doesNotContain("topic-key-value").doesNotContain("cosmos-key-value").doesNotContain("c2VjcmV0LWtleQ==")
                .contains("kv-sync-test");
    }

    @Test
    void maxRecordsPerSyncCapsRunsAndPages() {
        Map<String, String> env = withKeys();
        env.put("MAX_RECORDS_PER_SYNC", "500");

        InboundSettings inbound = AzurePorts.inboundSettings(AzureSettings.from(env));

        assertThat(inbound.maxRecordsPerSync()).isEqualTo(500);
        assertThat(inbound.pageSize()).isEqualTo(500);
    }

    @Test
    void zeroRecordsPerSyncMeansNoCap() {
        Map<String, String> env = withKeys();
        env.put("MAX_RECORDS_PER_SYNC", "0");

        assertThat(AzurePorts.inboundSettings(AzureSettings.from(env))).isEqualTo(InboundSettings.defaults());
    }
}
