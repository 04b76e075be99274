package com.castiel.sync.standalone.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.Credentials;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.RunId;
import com.castiel.sync.model.RunStatus;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncRun;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.port.ShardWrite;
import com.castiel.sync.standalone.store.sqlite.StorageException;
import com.castiel.sync.testkit.time.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStorageTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final String WEBHOOK = QueueSpec.INBOUND_WEBHOOK.name();

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.at("2025-01-15T10:00:00Z");
    private final OpenStorages storages = new OpenStorages();

    @AfterEach
    void closeAll() {
        storages.close();
    }

    @Test
    void aNewDataDirectoryAndItsDatabaseAreOwnerOnly() throws Exception {
        Path dir = tmp.resolve("data");

        storages.open(dir, clock);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sync.db")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("master.key")))).isEqualTo("rw-------");
    }

    @Test
    void aSecondStorageOnTheSameDirectoryIsRefused() {
        storages.open(tmp, clock);

        assertThatThrownBy(() -> storages.open(tmp, clock))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("in use by another engine process");
    }

    @Test
    void closingReleasesTheDirectoryAndIsIdempotent() {
        EmbeddedStorage first = storages.open(tmp, clock);
        first.close();
        first.close();

        assertThat(storages.open(tmp, clock).checkIntegrity()).containsExactly("ok");
    }

    @Test
    void portsRefuseWorkAfterClose() {
        EmbeddedStorage storage = storages.open(tmp, clock);
        storage.close();

        assertThatThrownBy(() -> storage.shards().get(TENANT, ShardId.of("s-1"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> storage.queue().receive(WEBHOOK, Duration.ZERO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyPortKeepsItsDataAcrossAReopen() {
        Shard shard = new Shard(ShardId.of("s-1"), TENANT, "c_company", SyncJson.object().put("name", "Acme"),
                List.of(ExternalRelationship.link("salesforce", INTEGRATION, "Account", "001", SyncDirection.BIDIRECTIONAL)),
                clock.instant(), clock.instant(), null, null, "user-1");
        Integration integration = new Integration(INTEGRATION, TENANT, "SF", IntegrationData.of("salesforce", List.of()), 0, null, null);
        SyncRun run = new SyncRun(RunId.of("run-1"), INTEGRATION, TENANT, JobType.FULL_SYNC, RunStatus.RUNNING, clock.instant(), null,
                null, null, null, "corr-1", 1, false);
        Credentials credentials = Credentials.ofProperties(Map.of("client_id", "c-1"));
        String etag;
        try (EmbeddedStorage storage = EmbeddedStorage.open(StorageSettings.of(tmp, clock).withEnvironment(n -> null))) {
            etag = storage.shards().write(TENANT, List.of(new ShardWrite.Insert(shard))).get(0).etag();
            storage.integrations().create(integration);
            storage.runs().saveRun(run);
            storage.credentials().put(TENANT, INTEGRATION, credentials);
            storage.queue().send(WEBHOOK, OutgoingMessage.of("m-1", "hello".getBytes(StandardCharsets.UTF_8)));
        }

        EmbeddedStorage reopened = storages.open(tmp, clock);

        assertThat(reopened.shards().findByExternalIds(TENANT, INTEGRATION, "Account", List.of("001")).get("001").etag()).isEqualTo(etag);
        assertThat(reopened.integrations().get(TENANT, INTEGRATION)).hasValueSatisfying(i -> assertThat(i.version()).isEqualTo(1));
        assertThat(reopened.runs().run(TENANT, run.id())).contains(run);
        assertThat(reopened.credentials().get(TENANT, INTEGRATION)).contains(credentials);
        assertThat(reopened.queue().receive(WEBHOOK, Duration.ZERO))
                .hasValueSatisfying(m -> assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("hello"));
    }

    @Test
    void theKeyFromTheEnvironmentIsPreferredOverTheKeyFile() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);

        EmbeddedStorage storage = EmbeddedStorage.open(StorageSettings.of(tmp, clock).withEnvironment(Map.of("SYNC_MASTER_KEY", key)::get));
        storage.close();

        assertThat(tmp.resolve("master.key")).doesNotExist();
    }

    @Test
    void locksLeftByAProcessThatDiedAreReleasedWhenStorageOpens() {
        EmbeddedStorage first = storages.open(tmp, clock);
        first.queue().send(WEBHOOK, OutgoingMessage.of("m-1", "job".getBytes(StandardCharsets.UTF_8)));
        first.queue().send(QueueSpec.OUTBOUND.name(), OutgoingMessage.of("m-2", "wb".getBytes(StandardCharsets.UTF_8)).withSession("int-1"));
        var locked = first.queue().receive(WEBHOOK, Duration.ZERO).orElseThrow();
        var session = first.queue().acceptSession(QueueSpec.OUTBOUND.name(), Duration.ZERO).orElseThrow();
        session.receive(Duration.ZERO).orElseThrow();
        first.close(); // nothing settled: as if the process had been killed

        EmbeddedStorage second = storages.open(tmp, clock);

        var again = second.queue().receive(WEBHOOK, Duration.ZERO);
        assertThat(again).as("redelivered at once, not after the 5-minute lock").isPresent();
        assertThat(again.get().messageId()).isEqualTo(locked.messageId());
        assertThat(again.get().deliveryCount()).isEqualTo(2);
        assertThat(second.queue().acceptSession(QueueSpec.OUTBOUND.name(), Duration.ZERO)).isPresent();
    }
}
