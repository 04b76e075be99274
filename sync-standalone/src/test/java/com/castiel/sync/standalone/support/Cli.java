package com.castiel.sync.standalone.support;

import com.castiel.sync.registry.AdapterRegistry;
import com.castiel.sync.standalone.cli.CliContext;
import com.castiel.sync.standalone.cli.StandaloneMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** Runs the command line in-process with captured output. */
public final class Cli {

    private Cli() {
    }

    /** What a command printed and returned. */
    public record Result(int status, String out, String err) {
    }

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AdapterRegistry registry = AdapterRegistry.discover(Cli.class.getClassLoader());
        CliContext ctx = new CliContext(new PrintWriter(out, true), new PrintWriter(err, true), env::get, Clock.systemUTC(), () -> registry, false);
        int status = StandaloneMain.execute(ctx, args);
        return new Result(status, out.toString(), err.toString());
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }
}
