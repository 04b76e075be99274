package com.castiel.sync.azure.cosmos;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * How model values become Cosmos documents and back: the model's own JSON (SyncJson) plus the
 * store's bookkeeping fields, with Cosmos's system properties stripped on the way back.
 */
final class CosmosJson {

    /** Document type discriminator: several kinds of documents share a container. */
    static final String DOC_TYPE = "docType";
    static final String TENANT_ID = "tenantId";
    static final String ID = "id";

    private static final List<String> SYSTEM_PROPERTIES = List.of("_rid", "_self", "_etag", "_ts", "_attachments", "_lsn");

    /**
     * Instants as fixed-width UTC text (nanosecond precision), so that string order is time order
     * in queries and ORDER BY; ISO-8601 as Jackson writes it varies in width.
     */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private CosmosJson() {
    }

    static ObjectNode toDocument(Object value, String docType) {
        ObjectNode node = SyncJson.mapper().valueToTree(value);
        node.put(DOC_TYPE, docType);
        return node;
    }

    static <T> T fromDocument(JsonNode document, Class<T> type) {
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        for (String p : SYSTEM_PROPERTIES) {
            copy.remove(p);
        }
        try {
            return SyncJson.mapper().treeToValue(copy, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " document " + document.path(ID).asText()
                    + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    static String etag(JsonNode document) {
        JsonNode e = document.get("_etag");
        return e == null || e.isNull() ? null : e.asText();
    }

    static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }

    /** Lower-case hex SHA-256 of UTF-8 text, for ids built from values Cosmos ids cannot hold. */
    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** An unambiguous text key of several values (a JSON array), for link and scope keys. */
    static String key(String... parts) {
        ArrayNode array = SyncJson.mapper().createArrayNode();
        for (String p : parts) {
            array.add(p);
        }
        return array.toString();
    }
}
