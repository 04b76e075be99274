package com.castiel.sync.azure.functions;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * The job inside a Service Bus message body. Jobs arrive either raw (a {@code SyncJobMessage} or
 * {@code WriteBackMessage} sent by the engine) or in an Event Grid envelope, when a Castiel service
 * publishes a job as an event and the topic's subscription routes it to the queue: the Event Grid
 * schema ({@code eventType}, {@code data}, {@code dataVersion}), CloudEvents ({@code specversion},
 * {@code data}), or either as a one-element array. The envelope's {@code data} is the job.
 */
public final class JobBodies {

    private JobBodies() {
    }

    /** The job bytes of a message body; a body that is not an envelope is returned unchanged. */
    public static byte[] unwrap(byte[] body) {
        JsonNode tree;
        try {
            tree = SyncJson.tree(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return body;
        }
        if (tree.isArray() && tree.size() == 1) {
            tree = tree.get(0);
        }
        if (isEnvelope(tree)) {
            JsonNode data = tree.get("data");
            if (data.isTextual()) {
                return data.asText().getBytes(StandardCharsets.UTF_8);
            }
            return SyncJson.writeBytes(data);
        }
        return body;
    }

    static boolean isEnvelope(JsonNode tree) {
        if (tree == null || !tree.isObject() || !tree.has("data")) {
            return false;
        }
        boolean eventGrid = tree.has("eventType") && tree.has("dataVersion");
        boolean cloudEvent = tree.has("specversion") && tree.has("type");
        return eventGrid || cloudEvent;
    }
}
