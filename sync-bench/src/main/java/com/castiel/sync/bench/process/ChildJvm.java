package com.castiel.sync.bench.process;

import com.castiel.sync.bench.BenchRunner;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running one role of the benchmark ({@code java <jvm args> -cp <this jar>
 * BenchRunner <role> <args>}), so every measurement that depends on the heap or on JIT state
 * starts from a fresh JVM. Standard output and error both go to the child's log file; lines of
 * standard output are also handed to the parent ({@link #awaitLine}), and {@code RESULT} lines
 * are collected ({@link #results}).
 *
 * <p>Not thread-safe: one thread drives a child. {@link #close()} kills a child still running.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Object EOF = new Object();

    private final String role;
    private final Process process;
    private final Path log;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final List<ObjectNode> results = new ArrayList<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final PrintWriter stdin;
    private final Thread reader;

    private ChildJvm(String role, Process process, Path log) throws IOException {
        this.role = role;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Writer logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("child-" + role).start(() -> pump(logWriter));
    }

    /**
     * Starts {@code role} in a new JVM.
     *
     * @param jvmArgs JVM options (heap, JFR…), before the class path
     * @param log where the child's output goes (created or truncated)
     */
    public static ChildJvm start(String role, List<String> jvmArgs, List<String> args, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BenchRunner.class.getName());
        command.add(role);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildJvm(role, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + role + " child JVM", e);
        }
    }

    /** Runs {@code role} to completion and returns its result lines. */
    public static List<ObjectNode> run(String role, List<String> jvmArgs, List<String> args, Path log, Duration timeout) {
        try (ChildJvm child = start(role, jvmArgs, args, log)) {
            child.awaitExit(timeout);
            return child.results();
        }
    }

    /** Sends one command line to the child's standard input. */
    public void send(String line) {
        stdin.println(line);
        if (stdin.checkError()) {
            throw new IllegalStateException("the " + role + " child no longer reads its input" + tailText());
        }
    }

    /**
     * Waits for the next output line starting with {@code prefix} and returns the rest of it
     * as JSON; other lines are skipped.
     *
     * @throws IllegalStateException when the child ends first or the time runs out
     */
    public JsonNode awaitLine(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object next;
            try {
                next = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the " + role + " child", e);
            }
            if (next == null) {
                throw new IllegalStateException("the " + role + " child did not say " + prefix.strip() + " within " + timeout + tailText());
            }
            if (next == EOF) {
                lines.add(EOF);
                throw new IllegalStateException("the " + role + " child ended before saying " + prefix.strip() + tailText());
            }
            String line = (String) next;
            if (line.startsWith(prefix)) {
                return SyncJson.tree(line.substring(prefix.length()));
            }
        }
    }

    /** Waits for the {@code PHASE} line named {@code name} (earlier phases are skipped). */
    public void awaitPhase(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode phase = awaitLine(ChildOutput.PHASE, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (name.equals(phase.path("name").asText())) {
                return;
            }
        }
    }

    /**
     * Waits for the child to exit.
     *
     * @throws IllegalStateException when it does not exit in time (it is killed) or exits non-zero
     */
    public void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the " + role + " child did not finish within " + timeout + "; killed" + tailText());
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted waiting for the " + role + " child", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the " + role + " child failed with exit code " + process.exitValue() + tailText());
        }
    }

    /** The {@code RESULT} lines seen so far, in order. */
    public List<ObjectNode> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stdin.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private void pump(Writer logWriter) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer w = logWriter) {
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                        tail.removeFirst();
                    }
                }
                if (line.startsWith(ChildOutput.RESULT)) {
                    JsonNode json = SyncJson.tree(line.substring(ChildOutput.RESULT.length()));
                    synchronized (results) {
                        results.add((ObjectNode) json);
                    }
                }
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone; its exit code tells the rest
        } finally {
            lines.add(EOF);
        }
    }

    private String tailText() {
        synchronized (tail) {
            return "; log " + log + (tail.isEmpty() ? "" : ", last lines:\n  " + String.join("\n  ", tail));
        }
    }

    @Override
    public String toString() {
        return "ChildJvm[" + role + ", pid " + process.pid() + "]";
    }
}
