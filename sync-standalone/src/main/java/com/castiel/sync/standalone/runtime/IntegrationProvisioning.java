package com.castiel.sync.standalone.runtime;

import com.castiel.sync.registry.AdapterSource;
import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.Ids;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationStatus;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.port.CredentialStore;
import com.castiel.sync.port.IntegrationStore;
import com.castiel.sync.port.StoreConflictException;
import com.castiel.sync.spi.ProviderAdapter;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.standalone.config.ConfigException;
import com.castiel.sync.standalone.config.ConfigProblem;
import com.castiel.sync.standalone.config.IntegrationConfig;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the data directory in line with the configuration file at start.
 *
 * <ul>
 *   <li>A configured integration missing from the store is created, with a fresh unguessable
 *       webhook endpoint key unless the file gives one.</li>
 *   <li>An existing one gets the configured fields; its sync state (last/next/last full sync),
 *       its endpoint key (unless configured) and, when the file sets no status, its status are
 *       kept. A changed {@code syncFrequency} resets {@code nextSyncAt} so the new schedule
 *       applies at once. Nothing is written when nothing changed.</li>
 *   <li>Configured credentials are written to the vault only when they differ from the ones last
 *       applied (a digest of them is kept with the credentials), so a refresh token the
 *       provider rotated is not replaced by the file's stale one at every start. New
 *       credentials lift {@code needs_reauth}.</li>
 *   <li>{@link #pauseUnconfigured} pauses integrations the file no longer lists.</li>
 *   <li>{@link #checkAdapters} opens each integration's adapter once (no I/O) so bad provider
 *       settings fail the start with the file and key named.</li>
 * </ul>
 */
public final class IntegrationProvisioning {

    /** Credential property holding the digest of the configured credentials last applied. */
    public static final String CONFIG_DIGEST_PROPERTY = "standalone_config_digest";
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationProvisioning.class);
    private static final int CAS_ATTEMPTS = 5;

    private final IntegrationStore integrations;
    private final CredentialStore credentials;
    private final Clock clock;

    public IntegrationProvisioning(IntegrationStore integrations, CredentialStore credentials, Clock clock) {
        this.integrations = Objects.requireNonNull(integrations, "integrations");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies every configured integration.
     *
     * @return the stored integrations, in configuration order
     * @throws ConfigException when an endpoint key is already used by an integration outside the file
     */
    public List<Integration> apply(StandaloneConfig config) {
        List<Integration> out = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < config.integrations().size(); i++) {
            try {
                out.add(apply(config.integrations().get(i)));
            } catch (StoreConflictException e) {
                problems.add(new ConfigProblem(config.source(), "integrations[" + i + "].webhookEndpointKey",
                        "is already used by another integration in the data directory"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    /** Applies one configured integration; returns it as stored. */
    public Integration apply(IntegrationConfig ic) {
        boolean credentialsChanged = ic.credentials() != null && storeCredentials(ic);
        for (int attempt = 1; ; attempt++) {
            Optional<Integration> existing = integrations.get(ic.tenant(), ic.integrationId());
            try {
                return existing.isEmpty() ? create(ic) : update(existing.get(), ic, credentialsChanged);
            } catch (StoreConflictException e) {
                // the endpoint key clash is permanent; a version race (a scheduler elsewhere) is not
                if (attempt >= CAS_ATTEMPTS || existing.isEmpty()) {
                    throw e;
                }
            }
        }
    }

    /** Pauses active integrations that the configuration does not list; returns their ids. */
    public List<String> pauseUnconfigured(StandaloneConfig config) {
        Set<String> configured = config.integrations().stream().map(IntegrationConfig::id).collect(Collectors.toSet());
        List<String> paused = new ArrayList<>();
        for (Integration i : new com.castiel.sync.standalone.admin.IntegrationDirectory(integrations).all()) {
            if (!configured.contains(i.id().value()) && i.status() == IntegrationStatus.ACTIVE) {
                try {
                    integrations.update(i.withData(d -> d.withStatus(IntegrationStatus.PAUSED)));
                    paused.add(i.id().value());
                    LOG.atWarn().setMessage("integration is in the data directory but not in the configuration; paused")
                            .addKeyValue("integrationId", i.id()).addKeyValue("tenantId", i.tenantId()).log();
                } catch (StoreConflictException e) {
                    LOG.atWarn().setMessage("could not pause an unconfigured integration; it changed meanwhile")
                            .addKeyValue("integrationId", i.id()).log();
                }
            }
        }
        return paused;
    }

    /**
     * Opens and closes every configured integration's adapter; creating an adapter does no I/O
     * but checks its settings.
     *
     * @throws ConfigException naming {@code integrations[i].settings} and the adapter's message
     */
    public void checkAdapters(StandaloneConfig config, List<Integration> stored, AdapterSource adapters) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            try (ProviderAdapter ignored = adapters.open(stored.get(i))) {
                // settings accepted
            } catch (SyncException e) {
                problems.add(new ConfigProblem(config.source(), "integrations[" + i + "].settings", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private Integration create(IntegrationConfig ic) {
        String key = ic.webhookEndpointKey() != null ? ic.webhookEndpointKey() : Ids.secureToken(24);
        IntegrationData data = ic.applyTo(null, key);
        Instant now = clock.instant();
        Integration created = integrations.create(new Integration(ic.integrationId(), ic.tenant(), ic.name(), data, 0, now, now));
        LOG.atInfo().setMessage("integration created from the configuration").addKeyValue("integrationId", created.id())
                .addKeyValue("tenantId", created.tenantId()).addKeyValue("provider", created.provider()).log();
        return created;
    }

    private Integration update(Integration existing, IntegrationConfig ic, boolean credentialsChanged) {
        IntegrationData stored = existing.structuredData();
        String key = ic.webhookEndpointKey() != null ? ic.webhookEndpointKey()
                : stored.webhookEndpointKey() != null ? stored.webhookEndpointKey() : Ids.secureToken(24);
        IntegrationConfig effective = ic;
        if (ic.status() == null && stored.status() == IntegrationStatus.NEEDS_REAUTH && credentialsChanged) {
            effective = ic.withStatus(IntegrationStatus.ACTIVE);
        }
        IntegrationData next = effective.applyTo(stored, key);
        if (!Objects.equals(stored.syncFrequency(), next.syncFrequency())) {
            next = next.withNextSyncAt(null);
        }
        if (next.equals(stored) && Objects.equals(existing.name(), ic.name())) {
            return existing;
        }
        Integration updated = integrations.update(new Integration(existing.id(), existing.tenantId(), ic.name(), next,
                existing.version(), existing.createdAt(), clock.instant()));
        LOG.atInfo().setMessage("integration updated from the configuration").addKeyValue("integrationId", updated.id())
                .addKeyValue("tenantId", updated.tenantId()).log();
        return updated;
    }

    /** Writes configured credentials when they changed since last applied; returns whether it wrote. */
    private boolean storeCredentials(IntegrationConfig ic) {
        if (alreadyApplied(credentials, ic)) {
            return false;
        }
        String digest = digest(ic.credentials());
        credentials.put(ic.tenant(), ic.integrationId(), ic.credentials().withProperty(CONFIG_DIGEST_PROPERTY, digest));
        LOG.atInfo().setMessage("credentials stored from the configuration").addKeyValue("integrationId", ic.id())
                .addKeyValue("tenantId", ic.tenantId()).log();
        return true;
    }

    /** Whether the vault already holds the credentials the file configures (as last applied). */
    public static boolean alreadyApplied(CredentialStore vault, IntegrationConfig ic) {
        if (ic.credentials() == null) {
            return true;
        }
        String digest = digest(ic.credentials());
        return vault.get(ic.tenant(), ic.integrationId()).flatMap(c -> c.property(CONFIG_DIGEST_PROPERTY)).map(digest::equals).orElse(false);
    }

    static String digest(Credentials c) {
        TreeMap<String, String> props = new TreeMap<>(c.properties());
        props.remove(CONFIG_DIGEST_PROPERTY);
        String canonical = SyncJson.write(List.of(String.valueOf(c.accessToken()), String.valueOf(c.refreshToken()),
                String.valueOf(c.expiresAt()), String.valueOf(c.instanceUrl()), props));
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
