package com.castiel.sync.azure.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-memory Cosmos DB server ({@code @vercel/cosmosdb-server}, pinned in
 * {@code src/test/cosmos-server/package-lock.json}) with this project's patches
 * ({@code server.js}), started once per test JVM on 127.0.0.1 over HTTPS with the generated
 * {@link TestCertificate}, and stopped when the test run ends.
 *
 * <p>Use it as a JUnit extension; tests are skipped with a printed reason when {@code node} or
 * {@code npm} is missing. {@code npm ci} runs into {@code target/cosmos-server} when its
 * {@code node_modules} is absent.
 */
public final class CosmosTestServer implements BeforeAllCallback {

    private static final Object LOCK = new Object();
    private static Running running;
    private static String unavailable;

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Running> server = start(context);
        org.junit.jupiter.api.Assumptions.assumeTrue(server.isPresent(), () -> "Cosmos test server unavailable: " + unavailable);
    }

    /** The endpoint of the running server ({@code https://127.0.0.1:<port>/}). */
    public static String endpoint() {
        synchronized (LOCK) {
            if (running == null) {
                throw new IllegalStateException("the Cosmos test server is not running; use @ExtendWith(CosmosTestServer.class)");
            }
            return "https://127.0.0.1:" + running.port + "/";
        }
    }

    private static Optional<Running> start(ExtensionContext context) {
        synchronized (LOCK) {
            if (running != null) {
                return Optional.of(running);
            }
            if (unavailable != null) {
                return Optional.empty();
            }
            try {
                running = launch();
                // closed when the root context closes, i.e. after the last test of the run
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(CosmosTestServer.class, running);
                return Optional.of(running);
            } catch (ToolMissing e) {
                unavailable = e.getMessage();
                System.out.println("[sync-azure] skipping Cosmos tests: " + unavailable);
                return Optional.empty();
            }
        }
    }

    private static Running launch() {
        String node = which("node").orElseThrow(() -> new ToolMissing("node is not on the PATH"));
        String npm = which("npm").orElseThrow(() -> new ToolMissing("npm is not on the PATH"));
        Path source = Path.of(System.getProperty("cosmos.server.source", "src/test/cosmos-server"));
        Path work = Path.of(System.getProperty("cosmos.server.work", "target/cosmos-server"));
        try {
            Files.createDirectories(work);
            for (String f : List.of("package.json", "package-lock.json", "server.js")) {
                Files.copy(source.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            if (!Files.isDirectory(work.resolve("node_modules/@vercel/cosmosdb-server"))) {
                run(work, List.of(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            }
            TestCertificate cert = TestCertificate.get();
            Process process = new ProcessBuilder(node, "server.js", "--pfx", cert.keyStoreFile().toString(),
                    "--passphrase", cert.password(), "--host", "127.0.0.1", "--port", "0",
                    "--verbose", System.getProperty("cosmos.server.verbose", "false"))
                    .directory(work.toFile()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> ready = new CompletableFuture<>();
            List<String> early = new ArrayList<>();
            Thread.ofVirtual().name("cosmos-server-output").start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (!ready.isDone() && line.startsWith("READY ")) {
                            ready.complete(Integer.parseInt(line.substring(6).trim()));
                        } else if (!ready.isDone()) {
                            early.add(line);
                        } else {
                            System.out.println("[cosmos-server] " + line);
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
                ready.completeExceptionally(new IllegalStateException("cosmos server exited: " + early));
            });
            int port = ready.get(60, TimeUnit.SECONDS);
            return new Running(process, port);
        } catch (IOException | java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not start the Cosmos test server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void run(Path dir, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static Optional<String> which(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    private record Running(Process process, int port) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static final class ToolMissing extends RuntimeException {
        ToolMissing(String message) {
            super(message);
        }
    }
}
