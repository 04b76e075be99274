package com.castiel.sync.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What every scenario of a run shares: the sizes, where scratch data and child logs go, and the
 * console progress log.
 *
 * @param sizes the run's sizes
 * @param workDir scratch root (data directories of the children); emptied per repeat
 * @param logDir one log file per child JVM
 * @param console progress output
 */
public record BenchContext(Sizes sizes, Path workDir, Path logDir, PrintStream console) {

    public BenchContext {
        Objects.requireNonNull(sizes, "sizes");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(console, "console");
    }

    /** The log file of a child: {@code <logDir>/<name>.log}. */
    public Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    public void say(String format, Object... args) {
        console.printf(java.util.Locale.ROOT, format + "%n", args);
        console.flush();
    }
}
