package com.castiel.sync.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dotted path into nested JSON objects ({@code Owner.Name}, {@code finance.revenue}), parsed
 * once and reused for every record. Immutable and thread-safe.
 *
 * <p>Segments are object keys; a dot always separates segments, so keys that themselves contain
 * a dot cannot be addressed, and array indexes are not supported (no provider field or shard
 * field in the mappings needs either).
 */
public final class FieldPath {

    private final String text;
    private final String[] segments;

    private FieldPath(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a dotted path.
     *
     * @throws IllegalArgumentException when the path is blank or has an empty segment
     *     ({@code a..b}, {@code .a}, {@code a.})
     */
    public static FieldPath of(String path) {
        Objects.requireNonNull(path, "path");
        String[] parts = path.split("\\.", -1);
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("field path '" + path + "' has an empty segment");
            }
        }
        return new FieldPath(path, parts);
    }

    /** True when the path has more than one segment. */
    public boolean isNested() {
        return segments.length > 1;
    }

    /** True when {@code other} lies strictly inside this path ({@code a} contains {@code a.b}). */
    public boolean contains(FieldPath other) {
        if (other.segments.length <= segments.length) {
            return false;
        }
        for (int i = 0; i < segments.length; i++) {
            if (!segments[i].equals(other.segments[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the value at this path.
     *
     * @return the node; {@link NullNode} when the value or one of the objects on the way is JSON
     *     null (a Salesforce record without an owner has {@code "Owner": null}); Java {@code null}
     *     when a key on the way is absent
     * @throws InvalidValueException when an intermediate value is not an object, so the path
     *     cannot be followed
     */
    public JsonNode get(JsonNode root) {
        JsonNode node = root;
        for (int i = 0; i < segments.length; i++) {
            if (node == null || node.isMissingNode()) {
                return null;
            }
            if (node.isNull()) {
                return NullNode.instance;
            }
            if (!node.isObject()) {
                throw notAnObject(i, node);
            }
            node = node.get(segments[i]);
        }
        return node == null || node.isMissingNode() ? null : node;
    }

    /**
     * Sets the value at this path inside {@code root}, creating objects on the way and replacing
     * JSON nulls on the way with objects. Mutates {@code root}; callers own it.
     *
     * @throws InvalidValueException when an intermediate value exists and is neither an object
     *     nor null, since replacing it would silently drop data
     */
    public void set(ObjectNode root, JsonNode value) {
        ObjectNode node = root;
        int last = segments.length - 1;
        for (int i = 0; i < last; i++) {
            JsonNode child = node.get(segments[i]);
            if (child == null || child.isNull() || child.isMissingNode()) {
                node = node.putObject(segments[i]);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                throw notAnObject(i + 1, child);
            }
        }
        node.set(segments[last], value == null ? NullNode.instance : value);
    }

    private InvalidValueException notAnObject(int depth, JsonNode found) {
        String prefix = String.join(".", Arrays.copyOf(segments, depth));
        return new InvalidValueException("'" + prefix + "' holds " + ValueDisplay.of(found) + ", not an object, so '"
                + text + "' cannot be followed");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The dotted path as written. */
    @Override
    public String toString() {
        return text;
    }
}
