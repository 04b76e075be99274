package com.castiel.sync.standalone.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file, located by its key path.
 *
 * @param file the file as the user named it ({@code examples/standalone.yaml})
 * @param key dotted key path with list indexes ({@code integrations[0].syncFrequency.cronExpression});
 *     empty for problems of the file as a whole
 * @param message what is wrong and, where it helps, what is accepted; never a secret value
 */
public record ConfigProblem(String file, String key, String message) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        key = key == null ? "" : key;
        Objects.requireNonNull(message, "message");
    }

    /** {@code file: key: message}, the form every configuration error is shown in. */
    @Override
    public String toString() {
        return key.isEmpty() ? file + ": " + message : file + ": " + key + ": " + message;
    }
}
