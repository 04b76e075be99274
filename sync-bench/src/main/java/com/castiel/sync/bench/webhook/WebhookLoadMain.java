package com.castiel.sync.bench.webhook;

import com.castiel.sync.bench.process.ChildArgs;
import com.castiel.sync.bench.process.ChildOutput;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;

/**
 * Child role {@code webhook-load}: the load generator of scenario 5, in its own JVM. Every
 * request is a freshly signed delivery with a unique delivery id (so none is a duplicate the
 * queue would drop), sent over keep-alive HTTP/1.1 connections ({@link HttpConnection}), one
 * per client virtual thread.
 *
 * <ul>
 *   <li><b>Closed loop</b> (maximum rate): for each {@code --targets} entry, {@code --clients}
 *       clients send back to back for a warm-up period and then a measured period.</li>
 *   <li><b>Fixed rate</b> (latency at a given load): with {@code --rate R}, the last target is
 *       first offered R requests per second, spread evenly over the clients, for a warm-up period
 *       and then a measured period; latency counts from each request's scheduled send time, so a
 *       stalled server is not hidden by clients that wait for it. This runs before the target's
 *       closed loop, so the latency is that of a runtime in a steady state at R, not of one still
 *       working through the backlog the closed loop leaves behind.</li>
 * </ul>
 * Reports per period the 2xx answers per second, the statuses and the latency percentiles.
 *
 * <p>Arguments: {@code --targets name=url,name=url --secret <s> --templates <json file>
 * --warmup-seconds N --seconds N [--clients 32] [--rate R]}.
 */
public final class WebhookLoadMain {

    private WebhookLoadMain() {
    }

    public static void main(String[] argv) throws Exception {
        ChildArgs args = ChildArgs.parse(argv, 0);
        String secret = args.text("secret");
        JsonNode templatesJson = SyncJson.mapper().readTree(Files.readAllBytes(args.path("templates")));
        List<ObjectNode> templates = new ArrayList<>();
        templatesJson.forEach(t -> templates.add((ObjectNode) t));
        int clients = args.integer("clients", 32);
        Duration warmup = Duration.ofSeconds(args.number("warmup-seconds", 5));
        Duration measured = Duration.ofSeconds(args.number("seconds", 10));
        long rate = args.number("rate", 0);
        ObjectNode out = SyncJson.object();
        String[] targets = args.text("targets").split(",");
        for (int t = 0; t < targets.length; t++) {
            String[] nameUrl = targets[t].split("=", 2);
            URI uri = URI.create(nameUrl[1]);
            if (rate > 0 && t == targets.length - 1) {
                run(uri, secret, templates, clients, warmup, rate, nameUrl[0] + "-rate-warmup");
                out.set(nameUrl[0] + "-at-rate", run(uri, secret, templates, clients, measured, rate, nameUrl[0] + "-rate"));
            }
            run(uri, secret, templates, clients, warmup, 0, nameUrl[0] + "-warmup");
            out.set(nameUrl[0], run(uri, secret, templates, clients, measured, 0, nameUrl[0]));
        }
        ChildOutput.result(out);
    }

    /** One period; {@code rate} 0 is the closed loop. */
    private static ObjectNode run(URI uri, String secret, List<ObjectNode> templates, int clients, Duration period, long rate,
                                  String label) throws Exception {
        long start = System.nanoTime() + 50_000_000L;
        long end = start + period.toNanos();
        List<Future<Client>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                long intervalNanos = rate > 0 ? 1_000_000_000L * clients / rate : 0;
                long firstSend = start + (rate > 0 ? 1_000_000_000L * c / rate : 0);
                Client client = new Client(uri, new SignedWebhooks(secret, templates), label + "-" + c, c, firstSend, intervalNanos, end);
                futures.add(pool.submit(() -> {
                    client.run();
                    return client;
                }));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long ok = 0;
        long errors = 0;
        Map<Integer, Long> statuses = new TreeMap<>();
        List<long[]> parts = new ArrayList<>();
        int total = 0;
        for (Future<Client> f : futures) {
            Client w = f.get();
            ok += w.ok;
            errors += w.errors;
            w.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            parts.add(Arrays.copyOf(w.latencies, w.count));
            total += w.count;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        ObjectNode o = SyncJson.object();
        o.put("seconds", seconds);
        o.put("offeredPerSecond", rate);
        o.put("requests", all.length);
        o.put("ok", ok);
        o.put("errors", errors);
        ObjectNode byStatus = o.putObject("statuses");
        statuses.forEach((k, v) -> byStatus.put(Integer.toString(k), v));
        o.put("okPerSecond", ok / seconds);
        o.put("p50Millis", percentile(all, 0.50));
        o.put("p90Millis", percentile(all, 0.90));
        o.put("p99Millis", percentile(all, 0.99));
        o.put("maxMillis", all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        return o;
    }

    private static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e6;
    }

    /** One client on its own connection: back to back, or on a fixed schedule. */
    private static final class Client {
        private final HttpConnection connection;
        private final SignedWebhooks signer;
        private final String prefix;
        private final int offset;
        private final long firstSend;
        private final long interval;
        private final long end;
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private long[] latencies = new long[4096];
        private int count;
        private long ok;
        private long errors;

        Client(URI uri, SignedWebhooks signer, String prefix, int offset, long firstSend, long interval, long end) {
            this.connection = new HttpConnection(uri);
            this.signer = signer;
            this.prefix = prefix;
            this.offset = offset;
            this.firstSend = firstSend;
            this.interval = interval;
            this.end = end;
        }

        void run() {
            Clock clock = Clock.systemUTC();
            try (connection) {
                long scheduled = firstSend;
                for (long n = 0; ; n++) {
                    if (interval > 0) {
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    } else {
                        scheduled = System.nanoTime();
                        if (scheduled < firstSend) {
                            LockSupport.parkNanos(firstSend - scheduled);
                            scheduled = System.nanoTime();
                        }
                    }
                    if (scheduled >= end) {
                        return;
                    }
                    SignedWebhooks.Delivery d = signer.delivery(n + offset, "dlv-" + prefix + "-" + n, clock.instant());
                    try {
                        int status = connection.post(d);
                        long took = System.nanoTime() - scheduled;
                        statuses.merge(status, 1L, Long::sum);
                        if (status / 100 == 2) {
                            ok++;
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = took;
                    } catch (IOException e) {
                        errors++;
                    }
                    scheduled += interval;
                }
            }
        }
    }
}
