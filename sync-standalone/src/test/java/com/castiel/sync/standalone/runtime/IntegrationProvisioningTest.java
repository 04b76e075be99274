package com.castiel.sync.standalone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncFrequency;
import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.standalone.admin.RecentEvents;
import com.castiel.sync.standalone.config.ConfigException;
import com.castiel.sync.standalone.config.ConfigLoader;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.StandaloneConfig;
import com.castiel.sync.testkit.memory.InMemoryCredentialStore;
import com.castiel.sync.testkit.memory.InMemoryIntegrationStore;
import com.castiel.sync.testkit.memory.InMemoryJobQueue;
import com.castiel.sync.testkit.memory.InMemoryRunStore;
import com.castiel.sync.testkit.memory.InMemoryShardStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntegrationProvisioningTest {

    private final Clock clock = Clock.systemUTC();
    private final InMemoryIntegrationStore integrations = new InMemoryIntegrationStore(clock);
    private final InMemoryCredentialStore vault = new InMemoryCredentialStore();
    private final IntegrationProvisioning provisioning = new IntegrationProvisioning(integrations, vault, clock);

    private static IntegrationConfig config(String refreshToken) {
        return new IntegrationConfig("acme", "t1", "Acme", "reference", null, Map.of("baseUrl", "http://127.0.0.1:9"),
                new Credentials(null, refreshToken, null, null, null, Map.of("client_id", "c", "client_secret", "s")),
                List.of(com.castiel.sync.model.EntityMapping.of("contacts", "person",
                        List.of(com.castiel.sync.model.FieldMapping.of("name", "name")))),
                List.of(), SyncFrequency.everyMinutes(15), null, null, null, null, null);
    }

    @Test
    void aNewIntegrationGetsAnUnguessableEndpointKeyThatLaterStartsKeep() {
        Integration created = provisioning.apply(config("r1"));

        String key = created.structuredData().webhookEndpointKey();
        assertThat(key).hasSizeGreaterThanOrEqualTo(32);
        assertThat(provisioning.apply(config("r1")).structuredData().webhookEndpointKey()).isEqualTo(key);
    }

    @Test
    void anUnchangedConfigurationWritesNothing() {
        Integration first = provisioning.apply(config("r1"));

        assertThat(provisioning.apply(config("r1")).version()).isEqualTo(first.version());
    }

    @Test
    void syncStateSurvivesAConfigurationChange() {
        Integration first = provisioning.apply(config("r1"));
        Instant synced = Instant.parse("2026-01-02T03:04:05Z");
        integrations.update(first.withData(d -> d.withLastSyncAt(synced).withLastFullSyncAt(synced)));

        Integration changed = provisioning.apply(config("r1").withSettings(Map.of("baseUrl", "http://127.0.0.1:10")));

        assertThat(changed.structuredData().settings()).containsEntry("baseUrl", "http://127.0.0.1:10");
        assertThat(changed.structuredData().lastSyncAt()).isEqualTo(synced);
        assertThat(changed.structuredData().lastFullSyncAt()).isEqualTo(synced);
    }

    @Test
    void aChangedScheduleResetsTheNextSlot() {
        Integration first = provisioning.apply(config("r1"));
        integrations.update(first.withData(d -> d.withNextSyncAt(Instant.parse("2099-01-01T00:00:00Z"))));
        IntegrationConfig c = config("r1");
        IntegrationConfig hourly = new IntegrationConfig(c.id(), c.tenantId(), c.name(), c.provider(), c.status(), c.settings(), c.credentials(),
                c.entityMappings(), c.pullFilters(), SyncFrequency.everyMinutes(60), c.writeBack(), c.conflictResolution(), null, null, null);

        assertThat(provisioning.apply(hourly).structuredData().nextSyncAt()).isNull();
    }

    @Test
    void aRotatedRefreshTokenIsNotOverwrittenByTheFileAtTheNextStart() {
        Integration i = provisioning.apply(config("r1"));
        Credentials stored = vault.get(i.tenantId(), i.id()).orElseThrow();
        vault.put(i.tenantId(), i.id(), stored.withGrant("access", "rotated-r2", null, null, clock.instant()));

        provisioning.apply(config("r1"));

        assertThat(vault.get(i.tenantId(), i.id()).orElseThrow().refreshToken()).isEqualTo("rotated-r2");
    }

    @Test
    void newCredentialsInTheFileReplaceTheStoredOnesAndLiftNeedsReauth() {
        Integration i = provisioning.apply(config("r1"));
        integrations.update(i.withData(d -> d.withStatus(IntegrationStatus.NEEDS_REAUTH)));

        Integration after = provisioning.apply(config("r-new"));

        assertThat(vault.get(i.tenantId(), i.id()).orElseThrow().refreshToken()).isEqualTo("r-new");
        assertThat(after.status()).isEqualTo(IntegrationStatus.ACTIVE);
    }

    @Test
    void needsReauthStaysWhenTheCredentialsDidNotChange() {
        Integration i = provisioning.apply(config("r1"));
        integrations.update(i.withData(d -> d.withStatus(IntegrationStatus.NEEDS_REAUTH)));

        assertThat(provisioning.apply(config("r1")).status()).isEqualTo(IntegrationStatus.NEEDS_REAUTH);
    }

    @Test
    void integrationsNoLongerConfiguredArePaused() {
        provisioning.apply(config("r1"));

        List<String> paused = provisioning.pauseUnconfigured(StandaloneConfig.empty("x.yaml"));

        assertThat(paused).containsExactly("acme");
        assertThat(integrations.listAll(null, 10).get(0).status()).isEqualTo(IntegrationStatus.PAUSED);
    }

    @Test
    void adapterSettingsAreCheckedAtStartWithTheFileAndKeyNamed() {
        IntegrationConfig bad = config("r1").withSettings(Map.of("baseUrl", "not a url"));
        StandaloneConfig cfg = StandaloneConfig.empty("conf.yaml").withIntegrations(List.of(bad));
        List<Integration> stored = provisioning.apply(cfg);
        SyncEngine engine = engine();

        assertThatThrownBy(() -> provisioning.checkAdapters(cfg, stored, engine.adapters()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("conf.yaml: integrations[0].settings: setting 'baseUrl' must be an absolute http(s) URL");
    }

    @Test
    void theExampleConfigurationIsAcceptedByTheRealAdapters() {
        Map<String, String> env = Map.of("ACME_SF_REFRESH_TOKEN", "r1", "ACME_SF_CLIENT_ID", "c1", "ACME_SF_CLIENT_SECRET", "s1",
                "GLOBEX_SF_REFRESH_TOKEN", "r2", "GLOBEX_SF_CLIENT_ID", "c2", "GLOBEX_SF_CLIENT_SECRET", "s2");
        AdapterRegistry registry = AdapterRegistry.discover(getClass().getClassLoader());
        StandaloneConfig cfg = new ConfigLoader(env::get, registry.ids()).load(Path.of("../examples/standalone.yaml"));

        List<Integration> stored = provisioning.apply(cfg);
        provisioning.checkAdapters(cfg, stored, engine().adapters());

        assertThat(stored).hasSize(2);
    }

    private SyncEngine engine() {
        return SyncEngine.builder().shards(new InMemoryShardStore()).integrations(integrations).runs(new InMemoryRunStore())
                .credentials(vault).queue(new InMemoryJobQueue(clock)).events(new RecentEvents(4)).clock(clock)
                .registry(AdapterRegistry.discover(getClass().getClassLoader())).build();
    }
}
