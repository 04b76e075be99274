package com.castiel.sync.bench.process;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} arguments of a child role. A name given without a value (followed by
 * another {@code --name} or at the end) is a flag. Missing required values fail with the name.
 */
public final class ChildArgs {

    private final Map<String, String> values = new HashMap<>();

    private ChildArgs() {
    }

    public static ChildArgs parse(String[] args, int from) {
        ChildArgs parsed = new ChildArgs();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --name, got '" + a + "'");
            }
            String name = a.substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                parsed.values.put(name, args[++i]);
            } else {
                parsed.values.put(name, "true");
            }
        }
        return parsed;
    }

    /** {@code --name value} pairs as a command-line list (the inverse of {@link #parse}). */
    public static List<String> of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        String[] out = new String[nameValuePairs.length];
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            out[i] = "--" + nameValuePairs[i];
            out[i + 1] = nameValuePairs[i + 1];
        }
        return List.of(out);
    }

    public String text(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing argument --" + name);
        }
        return v;
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public long number(String name, long fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    public int integer(String name, int fallback) {
        return Math.toIntExact(number(name, fallback));
    }

    public Path path(String name) {
        return Path.of(text(name));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(values.getOrDefault(name, "false"));
    }
}
