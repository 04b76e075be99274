package com.castiel.sync.bench;

import java.util.List;
import java.util.Locale;

/**
 * The sizes a benchmark run uses. The full run uses the sizes of the benchmark brief; the quick
 * run ({@code --quick}) scales them down so that it finishes in under three minutes.
 *
 * @param inboundRecords Accounts synced in scenarios 1–3
 * @param warmupRecords records of the JIT warm-up sync before each measured sync
 * @param writeBackRecords shards edited and written back in scenario 3
 * @param writeBackPolicies the conflict policies whose write-back is measured (the first is judged)
 * @param memoryRecords Accounts synced with a 256 MiB heap in scenario 4
 * @param memoryMark the record count at which scenario 4 takes its first heap reading
 * @param webhookWarmupSeconds seconds of load before each measured webhook load period
 * @param webhookSeconds seconds of each measured webhook load period in scenario 5
 * @param webhookProbes webhook-to-shard latency probes per repeat
 * @param integrations integrations in the store in scenario 6
 * @param ticks scheduler ticks measured per repeat in scenario 6
 * @param repeats repeats of every figure (at least 3)
 */
public record Sizes(int inboundRecords, int warmupRecords, int writeBackRecords, List<String> writeBackPolicies, int memoryRecords, int memoryMark, int webhookWarmupSeconds,
                    int webhookSeconds, int webhookProbes, int integrations, int ticks, int repeats) {

    public Sizes {
        writeBackPolicies = List.copyOf(writeBackPolicies);
        if (repeats < 3) {
            throw new IllegalArgumentException("every figure is repeated at least 3 times");
        }
    }

    public static Sizes full() {
        return new Sizes(200_000, 40_000, 20_000, List.of("castiel_wins", "newest_wins"), 1_000_000, 100_000, 8, 10, 300, 100_000, 30, 3);
    }

    public static Sizes quick() {
        return new Sizes(20_000, 10_000, 1_000, List.of("castiel_wins"), 50_000, 5_000, 1, 2, 30, 10_000, 10, 3);
    }

    /** The sizes in words, for the results document. */
    public String describe() {
        return String.format(Locale.ROOT, "%,d Accounts inbound (warm-up %,d), %,d write-backs, %,d Accounts at -Xmx256m (first reading at %,d), "
                        + "webhook load %d s after %d s warm-up and %d latency probes, %,d integrations, %d ticks, %d repeats",
                inboundRecords, warmupRecords, writeBackRecords, memoryRecords, memoryMark, webhookSeconds, webhookWarmupSeconds, webhookProbes,
                integrations, ticks, repeats);
    }
}
