package com.castiel.sync.testkit.fake;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route's path pattern: literal segments and {@code {name}} segments capturing one non-empty
 * segment. Immutable.
 */
record PathPattern(String text, List<String> segments) {

    static PathPattern parse(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("path pattern must start with '/': " + pattern);
        }
        return new PathPattern(pattern, split(pattern));
    }

    /** The captured variables when {@code path} matches, empty otherwise. */
    Optional<Map<String, String>> match(String path) {
        List<String> parts = split(path);
        if (parts.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            String seg = segments.get(i);
            String part = parts.get(i);
            if (seg.startsWith("{") && seg.endsWith("}")) {
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                vars.put(seg.substring(1, seg.length() - 1), part);
            } else if (!seg.equals(part)) {
                return Optional.empty();
            }
        }
        return Optional.of(vars);
    }

    private static List<String> split(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return List.of(trimmed.substring(1).split("/", -1));
    }
}
