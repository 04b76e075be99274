package com.castiel.sync.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders a benchmark run as the Markdown of the results section of {@code docs/PERFORMANCE.md}:
 * the machine, the command, one table per scenario (min / median / max of every figure, its
 * ratio to the limit measured in the same run, the target and whether it was met), the notes on
 * how each figure was obtained, and the micro-benchmark and profile tables when present.
 * Stateless apart from its inputs.
 *
 * @param machine the machine description, one fact per entry
 * @param command the command that produced the run
 * @param startedAt when the run started (ISO-8601)
 * @param repeats repeats per figure
 * @param scenarios the scenario outcomes, in order
 * @param extraSections further Markdown sections (micro-benchmarks, profile), already rendered
 */
public record ResultsDocument(List<String> machine, String command, String startedAt, int repeats, List<ScenarioResult> scenarios,
                              List<String> extraSections) {

    public ResultsDocument {
        machine = List.copyOf(machine);
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
        scenarios = List.copyOf(scenarios);
        extraSections = List.copyOf(extraSections);
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(startedAt).append(" with `").append(command).append("`; every figure is repeated ")
                .append(repeats).append(" times (fresh JVMs and fresh data directories per repeat) and shown as min / median / max. ")
                .append("Ratios are taken repeat by repeat against the limit measured in the same repeat; targets are judged on the median.\n\n");
        md.append("**Machine.**\n\n");
        for (String m : machine) {
            md.append("- ").append(m).append('\n');
        }
        md.append('\n');
        md.append(summary());
        for (ScenarioResult s : scenarios) {
            md.append(scenario(s));
        }
        for (String extra : extraSections) {
            md.append(extra).append('\n');
        }
        return md.toString();
    }

    private String summary() {
        StringBuilder md = new StringBuilder("### Summary\n\n| # | Figure | Median | Ratio (median) | Target | Met |\n|---|---|---|---|---|---|\n");
        for (ScenarioResult s : scenarios) {
            if (s.measures().isEmpty()) {
                md.append("| ").append(s.number()).append(" | ").append(s.title()).append(" | — | — | — | **not measured** |\n");
                continue;
            }
            for (Measure m : s.measures()) {
                if (m.targets().isEmpty()) {
                    continue;
                }
                md.append("| ").append(m.id()).append(" | ").append(m.name()).append(" | ").append(Numbers.format(m.value().median()))
                        .append(' ').append(m.unit()).append(" | ")
                        .append(m.ratio() == null ? "—" : Numbers.ratio(m.ratio().median()) + " of " + m.limitName())
                        .append(" | ").append(targets(m)).append(" | ").append(m.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        return md.append('\n').toString();
    }

    private static String scenario(ScenarioResult s) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(s.number()).append(". ").append(s.title()).append("\n\n");
        md.append("Sizes: ").append(s.sizes()).append("\n\n");
        if (!s.measures().isEmpty()) {
            md.append("| # | Figure | min | median | max | unit | ratio min / median / max | against | target | met |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (Measure m : s.measures()) {
                md.append("| ").append(m.id()).append(" | ").append(m.name())
                        .append(" | ").append(Numbers.format(m.value().min()))
                        .append(" | ").append(Numbers.format(m.value().median()))
                        .append(" | ").append(Numbers.format(m.value().max()))
                        .append(" | ").append(m.unit())
                        .append(" | ").append(m.ratio() == null ? "—" : Numbers.ratio(m.ratio().min()) + " / "
                                + Numbers.ratio(m.ratio().median()) + " / " + Numbers.ratio(m.ratio().max()))
                        .append(" | ").append(m.limitName() == null ? "—" : m.limitName())
                        .append(" | ").append(m.targets().isEmpty() ? "—" : targets(m))
                        .append(" | ").append(m.targets().isEmpty() ? "—" : m.met() ? "yes" : "**no**")
                        .append(" |\n");
            }
            md.append('\n');
            for (Measure m : s.measures()) {
                if (m.note() != null && !m.note().isBlank()) {
                    md.append("- **").append(m.id()).append("** ").append(m.note()).append('\n');
                }
            }
            md.append('\n');
        }
        if (!s.remarks().isEmpty()) {
            for (String r : s.remarks()) {
                md.append("- ").append(r).append('\n');
            }
            md.append('\n');
        }
        if (s.missing() != null) {
            md.append("**Not measured:** ").append(s.missing()).append("\n\n");
        }
        return md.toString();
    }

    private static String targets(Measure m) {
        return String.join(", ", m.targets().stream().map(t -> t.describe(m)).toList());
    }

    /** A one-line console rendering of a measure, for the progress log. */
    public static String line(Measure m) {
        String ratio = m.ratio() == null ? "" : String.format(Locale.ROOT, "  ratio %s/%s/%s of %s", Numbers.ratio(m.ratio().min()),
                Numbers.ratio(m.ratio().median()), Numbers.ratio(m.ratio().max()), m.limitName());
        String verdict = m.targets().isEmpty() ? "" : "  [" + targets(m) + ": " + (m.met() ? "met" : "MISSED") + "]";
        return String.format(Locale.ROOT, "%-4s %-58s %12s / %12s / %12s %s%s%s", m.id(), m.name(), Numbers.format(m.value().min()),
                Numbers.format(m.value().median()), Numbers.format(m.value().max()), m.unit(), ratio, verdict);
    }
}
