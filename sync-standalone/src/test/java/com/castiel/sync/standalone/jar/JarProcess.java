package com.castiel.sync.standalone.jar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shaded jar run as a child JVM (the JVM running the tests), its output in files. Every wait
 * is bounded; {@link #close()} kills the process if it still runs.
 */
final class JarProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on (http://[^ ]+)");

    private final Process process;
    private final Path out;
    private final Path err;

    private JarProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static Path jar() {
        String path = System.getProperty("standalone.jar");
        if (path == null) {
            throw new IllegalStateException("system property standalone.jar is not set (run through the failsafe plugin)");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; the package phase builds it");
        }
        return jar;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static JarProcess start(Path workDir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            b.environment().putAll(env);
            return new JarProcess(b.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the process to end; returns its exit status. */
    int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the jar did not finish within " + timeout + "\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The base URL from the {@code run} command's "Listening on" line, waiting for it. */
    String awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(stdout());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError("the jar exited with " + process.exitValue() + " before listening\n" + output());
            }
            sleep(50);
        }
        throw new AssertionError("the jar did not start listening within " + timeout + "\n" + output());
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM: the shutdown hook stops gracefully. */
    int terminate(Duration timeout) {
        process.destroy();
        return waitFor(timeout);
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    String output() {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
