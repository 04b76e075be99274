package com.castiel.sync.standalone.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ProviderAdapterFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as operators run it. */
class StandaloneJarIT {

    private static final String SERVICE_FILE = "META-INF/services/" + ProviderAdapterFactory.class.getName();

    @TempDir
    Path work;

    @Test
    void theJarMergesTheAdapterServiceFilesOfEveryModule() throws IOException {
        Set<String> expected = new TreeSet<>();
        Enumeration<URL> files = getClass().getClassLoader().getResources(SERVICE_FILE);
        int modules = 0;
        while (files.hasMoreElements()) {
            modules++;
            try (InputStream in = files.nextElement().openStream()) {
                expected.addAll(providerLines(in));
            }
        }
        assertThat(modules).as("service files on the test class path").isGreaterThanOrEqualTo(2);

        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            Set<String> merged = new TreeSet<>(providerLines(jar.getInputStream(jar.getEntry(SERVICE_FILE))));
            assertThat(merged).isEqualTo(expected);
        }
    }

    @Test
    void theJarDiscoversEveryAdapterOnItsClassPath() {
        Set<String> expected = new TreeSet<>();
        ServiceLoader.load(ProviderAdapterFactory.class, getClass().getClassLoader()).forEach(f -> expected.add(f.id()));

        try (JarProcess p = JarProcess.start(work, Map.of(), "adapters", "--json")) {
            int status = p.waitFor(Duration.ofSeconds(60));

            assertThat(status).as(p.output()).isZero();
            assertThat(new TreeSet<>(SyncJson.tree(p.stdout()).findValuesAsText("id"))).isEqualTo(expected).contains("salesforce", "reference");
        }
    }

    @Test
    void theManifestNamesTheMainClassAndAllowsNativeAccess() throws IOException {
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            Manifest m = jar.getManifest();

            assertThat(m.getMainAttributes().getValue("Main-Class")).isEqualTo("com.castiel.sync.standalone.cli.StandaloneMain");
            assertThat(m.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            assertThat(m.getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
            assertThat(jar.getEntry("module-info.class")).isNull();
            assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)")).toList()).isEmpty();
        }
    }

    @Test
    void theDemoRunsOnceFromTheJarAndAgrees() {
        try (JarProcess p = JarProcess.start(work, Map.of(), "demo", "--once", "--records", "2000", "--json", "--port", "0")) {
            int status = p.waitFor(Duration.ofMinutes(3));

            assertThat(status).as(p.output()).isZero();
            List<String> phases = p.stdout().lines().map(l -> SyncJson.tree(l).path("phase").asText()).toList();
            assertThat(phases).containsExactly("full_sync", "webhook", "write_back", "incremental_sync", "verify");
            assertThat(p.stderr()).doesNotContain("WARNING: A restricted method");
        }
    }

    @Test
    void aBadConfigurationExitsWith2AndNamesTheKey() throws IOException {
        Path config = work.resolve("bad.yaml");
        java.nio.file.Files.writeString(config, "server:\n  port: 99999\n");

        try (JarProcess p = JarProcess.start(work, Map.of(), "run", "--config", config.toString())) {
            assertThat(p.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(p.stderr()).contains(config + ": server.port: must be between 0 and 65535");
        }
    }

    private static List<String> providerLines(InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
        }
    }
}
