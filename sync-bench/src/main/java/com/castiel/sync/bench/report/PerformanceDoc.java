package com.castiel.sync.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Rewrites the generated part of {@code docs/PERFORMANCE.md}: everything between the
 * {@link #BEGIN} and {@link #END} marker lines is replaced, everything else (the hand-written
 * analysis) is kept byte for byte. A document without markers gets them appended. The file is
 * replaced atomically (written next to it, then moved).
 */
public final class PerformanceDoc {

    public static final String BEGIN = "<!-- bench/run results: begin (generated, do not edit by hand) -->";
    public static final String END = "<!-- bench/run results: end -->";

    private PerformanceDoc() {
    }

    /**
     * Returns {@code document} with its results section replaced by {@code results}.
     *
     * @throws IllegalArgumentException when only one marker is present, or the end comes first
     */
    public static String splice(String document, String results) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        String section = BEGIN + "\n\n" + results.strip() + "\n\n" + END;
        if (begin < 0 && end < 0) {
            String base = document.isEmpty() || document.endsWith("\n") ? document : document + "\n";
            return base + "\n" + section + "\n";
        }
        if (begin < 0 || end < 0 || end < begin) {
            throw new IllegalArgumentException("the results markers of the performance document are broken: expected '" + BEGIN
                    + "' followed by '" + END + "'");
        }
        return document.substring(0, begin) + section + document.substring(end + END.length());
    }

    /** Splices {@code results} into the file (created when missing). */
    public static void rewrite(Path file, String results) throws IOException {
        String current = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, splice(current, results), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
