package com.castiel.sync.standalone.runtime;

import com.castiel.sync.metrics.Alert;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs alert changes: a warning when an alert starts to hold (and again if its message changes),
 * an info line when it clears. Repeated evaluations of an unchanged alert are silent.
 */
final class AlertLog {

    private static final Logger LOG = LoggerFactory.getLogger("com.castiel.sync.alerts");

    private final Map<String, String> holding = new HashMap<>();

    synchronized void record(List<Alert> alerts) {
        Map<String, String> now = new HashMap<>();
        for (Alert a : alerts) {
            String key = a.name() + "|" + a.message().replaceAll("\\d+", "#");
            now.put(key, a.message());
            if (!holding.containsKey(key)) {
                LOG.atWarn().setMessage("alert: {}").addArgument(a.message()).addKeyValue("alert", a.name())
                        .addKeyValue("severity", a.severity()).addKeyValue("value", a.value()).addKeyValue("threshold", a.threshold()).log();
            }
        }
        for (Map.Entry<String, String> was : holding.entrySet()) {
            if (!now.containsKey(was.getKey())) {
                LOG.atInfo().setMessage("alert cleared: {}").addArgument(was.getValue()).log();
            }
        }
        holding.clear();
        holding.putAll(now);
    }
}
