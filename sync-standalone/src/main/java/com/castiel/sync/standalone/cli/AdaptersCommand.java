package com.castiel.sync.standalone.cli;

import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ProviderAdapterFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code adapters}: the provider adapters discovered on the class path. */
@Command(name = "adapters", mixinStandardHelpOptions = true, description = "List the provider adapters on the class path.")
final class AdaptersCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    AdaptersCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<ProviderAdapterFactory> factories = new ArrayList<>(ctx.adapters().get().factories());
        factories.sort((a, b) -> a.id().compareTo(b.id()));
        if (json) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (ProviderAdapterFactory f : factories) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", f.id());
                m.put("version", f.version());
                m.put("factory", f.getClass().getName());
                m.put("capabilities", f.capabilities().stream().map(Enum::name).sorted().toList());
                out.add(m);
            }
            ctx.out().println(SyncJson.write(out));
        } else {
            TextTable t = new TextTable("PROVIDER", "VERSION", "FACTORY", "CAPABILITIES");
            for (ProviderAdapterFactory f : factories) {
                t.row(f.id(), f.version(), f.getClass().getName(), String.join(",", f.capabilities().stream().map(Enum::name).sorted().toList()));
            }
            t.print(ctx.out());
        }
        ctx.out().flush();
        return ExitCodes.OK;
    }
}
