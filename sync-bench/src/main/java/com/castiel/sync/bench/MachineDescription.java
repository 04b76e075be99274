package com.castiel.sync.bench;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Facts about the machine a run measured, read from the JVM and (on Linux) {@code /proc}. */
final class MachineDescription {

    private MachineDescription() {
    }

    static List<String> describe(Path workDir) {
        List<String> facts = new ArrayList<>();
        facts.add("CPU: " + cpuModel().orElse(System.getProperty("os.arch")) + ", " + Runtime.getRuntime().availableProcessors()
                + " cores visible to the JVM");
        memTotal().ifPresent(kb -> facts.add(String.format(Locale.ROOT, "Memory: %.1f GiB", kb / 1024.0 / 1024.0)));
        facts.add("OS: " + osRelease().orElse(System.getProperty("os.name")) + ", kernel " + System.getProperty("os.version"));
        facts.add("JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (code compiled for release 21)");
        facts.add("SQLite: sqlite-jdbc " + sqliteVersion() + "; data on " + fileStore(workDir));
        facts.add("Shared VM: other workloads may run at the same time; the figures are ratios against limits measured in the same run"
                + " for that reason.");
        return facts;
    }

    private static Optional<String> cpuModel() {
        return grep(Path.of("/proc/cpuinfo"), "model name").map(l -> l.substring(l.indexOf(':') + 1).trim());
    }

    private static Optional<Long> memTotal() {
        return grep(Path.of("/proc/meminfo"), "MemTotal").map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")));
    }

    private static Optional<String> osRelease() {
        return grep(Path.of("/etc/os-release"), "PRETTY_NAME").map(l -> l.substring(l.indexOf('=') + 1).replace("\"", ""));
    }

    private static Optional<String> grep(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String sqliteVersion() {
        Package p = org.sqlite.JDBC.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite::memory:"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT sqlite_version()")) {
            return "(SQLite " + rs.getString(1) + ")";
        } catch (java.sql.SQLException e) {
            return "(unknown version)";
        }
    }

    private static String fileStore(Path dir) {
        try {
            Files.createDirectories(dir);
            FileStore store = Files.getFileStore(dir);
            return store.type() + " (" + store.name() + ")";
        } catch (IOException e) {
            return "an unknown file system";
        }
    }
}
