package com.castiel.sync.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

    private static final String INTEGRATION = """
            {
              "id": "int-001",
              "tenantId": "tenant-a",
              "name": "Acme Salesforce",
              "structuredData": {
                "providerName": "salesforce",
                "status": "active",
                "settings": {"instanceUrl": "https://acme.my.salesforce.com", "loginUrl": "https://login.salesforce.com"},
                "entityMappings": [{
                  "externalEntity": "Account",
                  "shardTypeId": "company",
                  "fieldMappings": [
                    {"externalField": "Name", "shardField": "name", "direction": "both", "type": "string", "required": true},
                    {"externalField": "AnnualRevenue", "shardField": "finance.revenue", "direction": "in", "type": "number"},
                    {"externalField": "Rating", "shardField": "rating", "direction": "both", "type": "string",
                     "valueMap": {"Hot": "hot", "Cold": "cold"}, "default": "unknown"},
                    {"externalField": "Owner.Name", "shardField": "owner", "direction": "in"}
                  ],
                  "createNew": true,
                  "deleteBehavior": "soft_delete"
                }],
                "pullFilters": [{"entity": "Account", "field": "Type", "operator": "eq", "value": "Customer"}],
                "syncFrequency": {"type": "cron", "cronExpression": "0 */5 * * * *"},
                "lastSyncAt": "2026-11-01T10:00:00Z",
                "conflictResolution": "external_wins",
                "writeBack": {"enabled": true},
                "webhookEndpointKey": "k3y"
              },
              "version": 7
            }
            """;

    @Test
    void integration_document_reads_in_the_seed_shape() {
        Integration i = SyncJson.read(INTEGRATION, Integration.class);

        assertThat(i.id()).isEqualTo(IntegrationId.of("int-001"));
        assertThat(i.tenantId()).isEqualTo(TenantId.of("tenant-a"));
        assertThat(i.provider()).isEqualTo("salesforce");
        assertThat(i.writeBackEnabled()).isTrue();
        assertThat(i.structuredData().conflictResolution()).isEqualTo(ConflictResolution.EXTERNAL_WINS);
        assertThat(i.structuredData().syncFrequency().type()).isEqualTo(FrequencyType.CRON);
        assertThat(i.structuredData().lastSyncAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        EntityMapping m = i.mappingForEntity("Account").orElseThrow();
        assertThat(m.fieldMappings()).hasSize(4);
        assertThat(m.fieldMappings().get(1).direction()).isEqualTo(FieldDirection.IN);
        assertThat(m.fieldMappings().get(2).valueMap()).containsEntry("Hot", "hot");
        assertThat(m.fieldMappings().get(2).defaultValue().asText()).isEqualTo("unknown");
        assertThat(m.inboundExternalFields()).containsExactly("Name", "AnnualRevenue", "Rating", "Owner.Name");
        assertThat(m.outboundExternalFields()).containsExactly("Name", "Rating");
        assertThat(i.structuredData().pullFilters().get(0).value().asText()).isEqualTo("Customer");
        assertThat(i.version()).isEqualTo(7);
    }

    @Test
    void integration_round_trips_to_an_equal_document() {
        Integration i = SyncJson.read(INTEGRATION, Integration.class);
        String written = SyncJson.write(i);

        assertThat(SyncJson.read(written, Integration.class)).isEqualTo(i);
        JsonNode tree = SyncJson.tree(written);
        assertThat(tree.at("/structuredData/writeBack/enabled").asBoolean()).isTrue();
        assertThat(tree.at("/structuredData/entityMappings/0/deleteBehavior").asText()).isEqualTo("soft_delete");
        assertThat(tree.at("/structuredData/syncFrequency/cronExpression").asText()).isEqualTo("0 */5 * * * *");
        assertThat(tree.at("/structuredData/lastSyncAt").asText()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(tree.at("/structuredData/entityMappings/0/fieldMappings/2/default").asText()).isEqualTo("unknown");
    }

    @Test
    void shard_uses_external_relationships_with_snake_case_name() {
        String json = """
                {
                  "id": "shard-1",
                  "tenantId": "tenant-a",
                  "shardTypeId": "company",
                  "structuredData": {"name": "Acme", "finance": {"revenue": 12.5}},
                  "external_relationships": [{
                    "system": "salesforce",
                    "integrationId": "int-001",
                    "externalEntity": "Account",
                    "externalId": "001000000000001AAA",
                    "syncDirection": "bidirectional",
                    "lastSyncedAt": "2026-11-01T10:00:00Z",
                    "lastSyncedHash": "abc",
                    "syncStatus": "synced"
                  }],
                  "createdAt": "2026-10-01T00:00:00Z",
                  "updatedAt": "2026-11-01T10:00:00Z"
                }
                """;
        Shard shard = SyncJson.read(json, Shard.class);

        ExternalRelationship r = shard.externalRelationships().get(0);
        assertThat(r.syncDirection()).isEqualTo(SyncDirection.BIDIRECTIONAL);
        assertThat(r.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(r.writesBack()).isTrue();
        assertThat(shard.relationship(IntegrationId.of("int-001"), "Account", "001000000000001AAA")).contains(r);
        assertThat(shard.structuredData().at("/finance/revenue").asDouble()).isEqualTo(12.5);

        JsonNode out = SyncJson.tree(SyncJson.write(shard));
        assertThat(out.has("external_relationships")).isTrue();
        assertThat(out.has("externalRelationships")).isFalse();
        assertThat(out.at("/external_relationships/0/syncDirection").asText()).isEqualTo("bidirectional");
        assertThat(SyncJson.read(SyncJson.write(shard), Shard.class)).isEqualTo(shard);
    }

    @Test
    void sync_job_message_matches_the_seed_schema() {
        String json = """
                {"integrationId":"int-001","tenantId":"tenant-a","jobType":"full_sync","provider":"salesforce",
                 "entities":["Account"],"scheduledAt":"2026-11-28T12:00:00Z","attempt":2,"correlationId":"c-1"}
                """;
        SyncJobMessage m = SyncJson.read(json, SyncJobMessage.class);

        assertThat(m.jobType()).isEqualTo(JobType.FULL_SYNC);
        assertThat(m.attempt()).isEqualTo(2);
        assertThat(m.entities()).containsExactly("Account");
        SyncJobMessage next = m.nextAttempt(Instant.parse("2026-11-28T12:00:10Z"));
        assertThat(next.attempt()).isEqualTo(3);
        JsonNode out = SyncJson.tree(SyncJson.write(next));
        assertThat(out.get("jobType").asText()).isEqualTo("full_sync");
        assertThat(out.get("scheduledAt").asText()).isEqualTo("2026-11-28T12:00:10Z");
        assertThat(out.has("webhookPayload")).isFalse();
    }

    @Test
    void webhook_job_requires_a_payload() {
        String json = """
                {"integrationId":"i","tenantId":"t","jobType":"webhook","attempt":1}
                """;
        assertThatThrownBy(() -> SyncJson.read(json, SyncJobMessage.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhookPayload");
    }

    @Test
    void write_back_message_matches_the_seed_schema() {
        String json = """
                {"shardId":"shard-1","tenantId":"tenant-a","operation":"update","changedFields":["name","rating"],
                 "externalSystem":"salesforce","externalId":"001000000000001AAA","integrationId":"int-001",
                 "triggeredAt":"2026-11-28T12:00:00Z","triggeredBy":"user-42"}
                """;
        WriteBackMessage m = SyncJson.read(json, WriteBackMessage.class);

        assertThat(m.operation()).isEqualTo(Operation.UPDATE);
        assertThat(m.changedFields()).containsExactly("name", "rating");
        assertThat(m.attempt()).isEqualTo(1);
        assertThat(SyncJson.read(SyncJson.write(m), WriteBackMessage.class)).isEqualTo(m);
        assertThat(SyncJson.tree(SyncJson.write(m)).get("triggeredBy").asText()).isEqualTo("user-42");
    }

    @Test
    void sync_run_keeps_stats_and_record_errors() {
        SyncRun run = new SyncRun(RunId.of("run-1"), IntegrationId.of("int-001"), TenantId.of("t"), JobType.INCREMENTAL,
                RunStatus.PARTIAL, Instant.parse("2026-11-28T12:00:00Z"), Instant.parse("2026-11-28T12:00:05Z"),
                new SyncStats(3, 2, 10, 1, 0, 1, 0), null,
                List.of(new RecordError("Account", "001", "AnnualRevenue", "'abc' is not a number")), "c-1", 1, false);
        String json = SyncJson.write(run);

        assertThat(SyncJson.read(json, SyncRun.class)).isEqualTo(run);
        assertThat(SyncJson.tree(json).at("/stats/unchanged").asLong()).isEqualTo(10);
        assertThat(SyncJson.tree(json).get("status").asText()).isEqualTo("partial");
        assertThat(run.duration().toMillis()).isEqualTo(5000);
    }

    @Test
    void unknown_enum_value_names_the_accepted_values() {
        String json = INTEGRATION.replace("\"external_wins\"", "\"whoever\"");
        assertThatThrownBy(() -> SyncJson.read(json, Integration.class))
                .hasMessageContaining("whoever")
                .hasMessageContaining("external_wins, castiel_wins, newest_wins, manual");
    }

    @Test
    void credentials_never_print_secrets() {
        Credentials c = new Credentials("access-secret", "refresh-secret", null, "https://x", null,
                java.util.Map.of("client_secret", "shh"));
        assertThat(c.toString()).doesNotContain("access-secret", "refresh-secret", "shh").contains("client_secret");
    }

    @Test
    void grant_keeps_the_old_refresh_token_when_none_is_returned() {
        Credentials c = new Credentials("a1", "r1", null, "https://x", null, null);
        Instant now = Instant.parse("2026-11-28T12:00:00Z");

        assertThat(c.withGrant("a2", null, null, null, now).refreshToken()).isEqualTo("r1");
        assertThat(c.withGrant("a2", "r2", null, null, now).refreshToken()).isEqualTo("r2");
        assertThat(c.withGrant("a2", null, null, "https://y", now).instanceUrl()).isEqualTo("https://y");
    }

    @Test
    void ids_reject_blank_and_path_characters() {
        assertThatThrownBy(() -> TenantId.of(" ")).hasMessageContaining("TenantId");
        assertThatThrownBy(() -> ShardId.of("a/b")).hasMessageContaining("forbidden");
    }

    @Test
    void time_ordered_ids_sort_by_creation_time() {
        String a = Ids.timeOrdered(Instant.parse("2026-01-01T00:00:00Z"));
        String b = Ids.timeOrdered(Instant.parse("2026-01-01T00:00:00.001Z"));
        assertThat(a).isLessThan(b).hasSize(32);
    }
    @Test
    void an_integrations_text_form_hides_its_webhook_endpoint_key() {
        Integration i = SyncJson.read(INTEGRATION, Integration.class);

        assertThat(i.structuredData().webhookEndpointKey()).isEqualTo("k3y");
        assertThat(i.toString()).contains("int-001", "salesforce").doesNotContain("k3y");
    }

    @Test
    void a_webhook_jobs_text_form_hides_the_payload_body() {
        WebhookPayload payload = new WebhookPayload("application/json", "{\"clientState\":\"state-secret\"}",
                java.util.Map.of("x-request-id", "r-1"), Instant.parse("2026-11-02T10:00:00Z"));
        SyncJobMessage job = new SyncJobMessage(IntegrationId.of("int-001"), TenantId.of("tenant-a"), JobType.WEBHOOK, "graph", payload,
                List.of(), Instant.parse("2026-11-02T10:00:00Z"), 1, "c-1", "webhook");

        assertThat(payload.toString()).contains("application/json", "x-request-id").doesNotContain("state-secret");
        assertThat(job.toString()).contains("int-001").doesNotContain("state-secret");
    }
}
