package com.castiel.sync.standalone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.FrequencyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String FILE = "conf/standalone.yaml";
    private static final String MINIMAL_INTEGRATION = """
            integrations:
              - id: acme
                tenantId: t1
                provider: reference
                settings: { baseUrl: "http://127.0.0.1:9" }
                entityMappings:
                  - externalEntity: contacts
                    shardTypeId: person
                    fieldMappings: [ { externalField: name, shardField: name } ]
                syncFrequency: { type: interval, intervalMinutes: 5 }
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of("SECRET", "s3cr3t-value", "EMPTY", "")::get, Set.of("reference", "salesforce"));

    private StandaloneConfig parse(String yaml) {
        return loader.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8), null);
    }

    private List<String> problems(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected a configuration error");
    }

    @Test
    void aMinimalFileGetsEveryDefault() {
        StandaloneConfig c = parse(MINIMAL_INTEGRATION);

        assertThat(c.server().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().maxWebhookBytes()).isEqualTo(1 << 20);
        assertThat(c.limits().maxConcurrentSyncs()).isEqualTo(3);
        assertThat(c.limits().maxRecordsPerSync()).isZero();
        assertThat(c.integrations()).singleElement().satisfies(i -> {
            assertThat(i.provider()).isEqualTo("reference");
            assertThat(i.syncFrequency().type()).isEqualTo(FrequencyType.INTERVAL);
            assertThat(i.settings()).containsEntry("baseUrl", "http://127.0.0.1:9");
        });
    }

    @Test
    void theExampleFileIsCompleteAndValid() {
        Map<String, String> env = Map.of("ACME_SF_REFRESH_TOKEN", "r1", "ACME_SF_CLIENT_ID", "c1", "ACME_SF_CLIENT_SECRET", "s1",
                "GLOBEX_SF_REFRESH_TOKEN", "r2", "GLOBEX_SF_CLIENT_ID", "c2", "GLOBEX_SF_CLIENT_SECRET", "s2");
        StandaloneConfig c = new ConfigLoader(env::get, null).load(Path.of("../examples/standalone.yaml"));

        assertThat(c.integrations()).extracting(IntegrationConfig::id).containsExactly("acme-salesforce", "globex-salesforce");
        IntegrationConfig acme = c.integrations().get(0);
        assertThat(acme.credentials().refreshToken()).isEqualTo("r1");
        assertThat(acme.credentials().properties()).containsEntry("client_secret", "s1");
        assertThat(acme.writeBack().enabled()).isTrue();
        assertThat(acme.conflictResolution()).isEqualTo(ConflictResolution.NEWEST_WINS);
        assertThat(c.integrations().get(1).syncFrequency().type()).isEqualTo(FrequencyType.CRON);
        assertThat(c.integrations().get(1).webhookEndpointKey()).isEqualTo("change-me-to-a-long-random-key");
        assertThat(c.dataDir()).isEqualTo(Path.of("../examples/standalone.yaml").toAbsolutePath().getParent().resolve("../data").normalize());
    }

    @Test
    void aBadCronExpressionNamesTheFileAndTheKey() {
        List<String> p = problems(MINIMAL_INTEGRATION.replace("{ type: interval, intervalMinutes: 5 }",
                "{ type: cron, cronExpression: \"every five minutes\" }"));

        assertThat(p).singleElement().asString()
                .startsWith(FILE + ": integrations[0].syncFrequency.cronExpression: ")
                .contains("every five minutes");
    }

    @Test
    void anIntervalWithoutMinutesNamesIntervalMinutes() {
        List<String> p = problems(MINIMAL_INTEGRATION.replace("{ type: interval, intervalMinutes: 5 }", "{ type: interval }"));

        assertThat(p).singleElement().asString()
                .isEqualTo(FILE + ": integrations[0].syncFrequency.intervalMinutes: must be a positive number of minutes");
    }

    @Test
    void anUnknownKeyIsNamedWithTheAcceptedOnes() {
        List<String> p = problems(MINIMAL_INTEGRATION.replace("syncFrequency:", "syncFrequncy:"));

        assertThat(p).singleElement().asString()
                .startsWith(FILE + ": integrations[0].syncFrequncy: unknown key; expected one of [")
                .contains("syncFrequency");
    }

    @Test
    void anUnknownRootKeyIsNamed() {
        assertThat(problems("serverr: {}\n")).singleElement().asString()
                .startsWith(FILE + ": serverr: unknown key; expected one of [dataDir, integrations, limits, server, workers]");
    }

    @Test
    void aWrongTypeNamesWhatIsExpected() {
        assertThat(problems("server: { port: eighty }\n")).singleElement().asString()
                .isEqualTo(FILE + ": server.port: expected a whole number");
    }

    @Test
    void anUnknownEnumValueListsTheAcceptedValues() {
        List<String> p = problems(MINIMAL_INTEGRATION + "    conflictResolution: sometimes\n");

        assertThat(p).singleElement().asString()
                .startsWith(FILE + ": integrations[0].conflictResolution: ")
                .contains("external_wins", "castiel_wins", "newest_wins", "manual");
    }

    @Test
    void environmentReferencesAreResolvedWithFallbacksAndEscapes() {
        StandaloneConfig c = parse(MINIMAL_INTEGRATION + """
                    credentials:
                      refreshToken: ${SECRET}
                      properties:
                        client_id: ${MISSING:-fallback-id}
                        note: "$${NOT_A_REFERENCE}"
                        empty: ${EMPTY:-was-empty}
                """);

        var creds = c.integrations().get(0).credentials();
        assertThat(creds.refreshToken()).isEqualTo("s3cr3t-value");
        assertThat(creds.properties()).containsEntry("client_id", "fallback-id")
                .containsEntry("note", "${NOT_A_REFERENCE}").containsEntry("empty", "was-empty");
    }

    @Test
    void anUnsetVariableNamesTheKeyAndTheVariable() {
        List<String> p = problems(MINIMAL_INTEGRATION + """
                    credentials:
                      refreshToken: ${SF_REFRESH_TOKEN}
                """);

        assertThat(p).singleElement().asString()
                .startsWith(FILE + ": integrations[0].credentials.refreshToken: environment variable SF_REFRESH_TOKEN is not set");
    }

    @Test
    void credentialValuesNeverAppearInMessages() {
        List<String> p = problems(MINIMAL_INTEGRATION + """
                    credentials:
                      refreshToken: [ "${SECRET}" ]
                """);

        assertThat(p).singleElement().asString().startsWith(FILE + ": integrations[0].credentials.refreshToken: ")
                .doesNotContain("s3cr3t-value");
    }

    @Test
    void missingRequiredKeysAreAllReported() {
        List<String> p = problems("""
                integrations:
                  - name: nothing else
                """);

        assertThat(p).contains(
                FILE + ": integrations[0].id: is required",
                FILE + ": integrations[0].tenantId: is required",
                FILE + ": integrations[0].provider: is required",
                FILE + ": integrations[0].entityMappings: at least one entity mapping is required",
                FILE + ": integrations[0].syncFrequency: is required (type interval, cron or manual)");
    }

    @Test
    void aMissingExternalEntityIsNamed() {
        List<String> p = problems(MINIMAL_INTEGRATION.replace("- externalEntity: contacts\n", "- shardTypeId: x\n")
                .replace("                    shardTypeId: person\n", ""));

        assertThat(p).singleElement().asString().isEqualTo(FILE + ": integrations[0].entityMappings[0].externalEntity: is required");
    }

    @Test
    void anUnknownProviderListsTheAvailableAdapters() {
        List<String> p = problems(MINIMAL_INTEGRATION.replace("provider: reference", "provider: sugarcrm"));

        assertThat(p).singleElement().asString()
                .isEqualTo(FILE + ": integrations[0].provider: no adapter for provider 'sugarcrm' is on the class path; available: [reference, salesforce]");
    }

    @Test
    void duplicateIdsAndEndpointKeysAreRejected() {
        String one = MINIMAL_INTEGRATION.replace("integrations:\n", "") + "    webhookEndpointKey: aaaaaaaaaaaaaaaaaaaa\n";
        List<String> p = problems("integrations:\n" + one + one);

        assertThat(p).containsExactly(
                FILE + ": integrations[1].id: 'acme' is already the id of integrations[0]; integration ids must be unique",
                FILE + ": integrations[1].webhookEndpointKey: is also the endpoint key of integrations[0]; each integration needs its own");
    }

    @Test
    void aGuessableEndpointKeyIsRejected() {
        assertThat(problems(MINIMAL_INTEGRATION + "    webhookEndpointKey: short\n")).singleElement().asString()
                .startsWith(FILE + ": integrations[0].webhookEndpointKey: must be 16 to 128 characters");
    }

    @Test
    void serverAndLimitValuesAreRangeChecked() {
        List<String> p = problems("""
                server: { port: 70000, bindAddress: "not an address", maxWebhookBytes: 0 }
                limits: { maxConcurrentSyncs: 0, maxRecordsPerSync: -1 }
                workers: { schedulerTickSeconds: 0 }
                """);

        assertThat(p).containsExactlyInAnyOrder(
                FILE + ": server.port: must be between 0 and 65535 (0 picks a free port)",
                FILE + ": server.maxWebhookBytes: must be at least 1",
                FILE + ": server.bindAddress: must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0",
                FILE + ": limits.maxConcurrentSyncs: must be at least 1",
                FILE + ": limits.maxRecordsPerSync: must be 0 (no limit) or more",
                FILE + ": workers.schedulerTickSeconds: must be at least 1");
    }

    @Test
    void aSyntaxErrorGivesLineAndColumn() {
        assertThat(problems("server:\n  port: [1, 2\n")).singleElement().asString()
                .startsWith(FILE + ": line ").contains("column").contains("not valid YAML");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> loader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void aRelativeDataDirIsResolvedAgainstTheFilesDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("conf/app.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "dataDir: ../state\n");

        assertThat(loader.load(file).dataDir()).isEqualTo(dir.resolve("state"));
    }

    @Test
    void theCommandLineDataDirWinsOverTheFile() {
        StandaloneConfig c = parse("dataDir: /var/lib/sync\n");

        assertThat(c.resolveDataDir(Path.of("/tmp/other"))).isEqualTo(Path.of("/tmp/other"));
        assertThat(c.resolveDataDir(null)).isEqualTo(Path.of("/var/lib/sync"));
        assertThat(StandaloneConfig.empty("x").resolveDataDir(null)).isEqualTo(Path.of("data"));
    }
}
