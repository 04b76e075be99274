package com.castiel.sync.standalone.cli;

import com.castiel.sync.engine.SyncEngine;
import com.castiel.sync.standalone.admin.Administration;
import com.castiel.sync.standalone.admin.RecentEvents;
import com.castiel.sync.standalone.runtime.DataStorage;
import java.nio.file.Path;

/**
 * A data directory opened for an admin command: storage, an engine over it (no workers, no
 * server) and the shared admin operations. The directory is locked while open, so admin commands
 * run against a stopped engine; while {@code run} is up, use the admin API instead.
 */
final class AdminSession implements AutoCloseable {

    private final DataStorage storage;
    private final SyncEngine engine;
    private final Administration admin;

    private AdminSession(DataStorage storage, SyncEngine engine) {
        this.storage = storage;
        this.engine = engine;
        this.admin = new Administration(engine, null);
    }

    static AdminSession open(CliContext ctx, Path dataDir) {
        DataStorage storage = DataStorage.open(dataDir, ctx.clock());
        try {
            SyncEngine engine = SyncEngine.builder()
                    .shards(storage.shards()).integrations(storage.integrations()).runs(storage.runs())
                    .credentials(storage.credentials()).queue(storage.queue()).events(new RecentEvents(16))
                    .clock(ctx.clock()).registry(ctx.adapters().get()).build();
            return new AdminSession(storage, engine);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    Administration admin() {
        return admin;
    }

    SyncEngine engine() {
        return engine;
    }

    DataStorage storage() {
        return storage;
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            storage.close();
        }
    }
}
