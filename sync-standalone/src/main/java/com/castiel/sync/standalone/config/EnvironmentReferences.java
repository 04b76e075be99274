package com.castiel.sync.standalone.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-fallback}} in every text value of a configuration
 * tree with the environment's value, so secrets stay out of the file. {@code $${} writes a
 * literal {@code ${}. A reference to an unset variable without a fallback is a problem naming the
 * key and the variable (never a value).
 */
final class EnvironmentReferences {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Function<String, String> environment;

    EnvironmentReferences(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** Resolves references in place under {@code node}; {@code path} is the node's key path. */
    void resolve(JsonNode node, String path, String file, List<ConfigProblem> problems) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                fields.add(it.next());
            }
            for (Map.Entry<String, JsonNode> f : fields) {
                String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getValue().isTextual()) {
                    object.set(f.getKey(), substitute(f.getValue().textValue(), child, file, problems));
                } else {
                    resolve(f.getValue(), child, file, problems);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                if (array.get(i).isTextual()) {
                    array.set(i, substitute(array.get(i).textValue(), child, file, problems));
                } else {
                    resolve(array.get(i), child, file, problems);
                }
            }
        }
    }

    private TextNode substitute(String text, String path, String file, List<ConfigProblem> problems) {
        if (text.indexOf('$') < 0) {
            return TextNode.valueOf(text);
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String name = m.group(1);
                String value = environment.apply(name);
                if (value == null || value.isEmpty()) {
                    value = m.group(2);
                }
                if (value == null) {
                    problems.add(new ConfigProblem(file, path, "environment variable " + name
                            + " is not set (set it, or write ${" + name + ":-fallback})"));
                    value = "";
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return TextNode.valueOf(out.toString());
    }
}
