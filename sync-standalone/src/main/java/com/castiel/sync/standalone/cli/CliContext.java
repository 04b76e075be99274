package com.castiel.sync.standalone.cli;

import com.castiel.sync.registry.AdapterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What commands get from the process: output streams, the environment, the clock, the adapters,
 * and whether standard error is a terminal (for the progress line). Tests build one with captured
 * streams and a map for the environment.
 *
 * @param out standard output (results)
 * @param err standard error (errors, progress)
 * @param environment environment lookup
 * @param clock the clock
 * @param adapters the adapter registry, discovered once when first asked
 * @param terminal whether standard error is an interactive terminal
 */
public record CliContext(PrintWriter out, PrintWriter err, Function<String, String> environment, Clock clock,
                         Supplier<AdapterRegistry> adapters, boolean terminal) {

    public CliContext {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(adapters, "adapters");
    }

    /** The process's own streams, environment and clock; adapters discovered on the class path. */
    public static CliContext system() {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        AdapterRegistry[] once = new AdapterRegistry[1];
        Supplier<AdapterRegistry> registry = () -> {
            synchronized (once) {
                if (once[0] == null) {
                    once[0] = AdapterRegistry.discover(CliContext.class.getClassLoader());
                }
                return once[0];
            }
        };
        return new CliContext(out, err, System::getenv, Clock.systemUTC(), registry, isTerminal());
    }

    private static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Console.isTerminal() exists from JDK 22; on 21 a console is only present on a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
