package com.castiel.sync.standalone.cli;

import com.castiel.sync.standalone.config.ConfigLoader;
import com.castiel.sync.standalone.config.StandaloneConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --data-dir DIR}, shared by the commands that work on a data
 * directory. The directory is {@code --data-dir}, else the file's {@code dataDir}, else
 * {@code ./data}.
 */
final class DataDirOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML).")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (overrides the file's dataDir; default ./data).")
    Path dataDir;

    /** The configuration file loaded and validated, or an empty one when none was given. */
    StandaloneConfig load(CliContext ctx, boolean required) {
        if (config == null) {
            if (required) {
                throw new UsageException("--config FILE is required");
            }
            return StandaloneConfig.empty("(no configuration file)");
        }
        return new ConfigLoader(ctx.environment(), ctx.adapters().get().ids()).load(config);
    }

    Path dataDirectory(StandaloneConfig loaded) {
        return loaded.resolveDataDir(dataDir);
    }
}
