package com.castiel.sync.adapters.salesforce;

import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the SOQL the adapter sends. Names (entity, fields) are checked against the API-name
 * grammar so nothing but a name reaches the query; values become literals: text quoted with
 * backslash escapes, numbers and booleans bare, ISO date-times and dates as unquoted SOQL
 * date-time/date literals.
 *
 * <p>Every scan selects {@code Id} and {@code SystemModstamp}, orders by
 * {@code SystemModstamp, Id} and, for incremental scans, continues after the watermark with the
 * keyset condition {@code (SystemModstamp > :s OR (SystemModstamp = :s AND Id > :id))} — or
 * {@code SystemModstamp >= :s} when the watermark has no id — so records sharing a stamp are
 * neither skipped nor endlessly repeated. Stateless.
 */
final class SoqlBuilder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}(\\.[A-Za-z][A-Za-z0-9_]{0,79}){0,4}");
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private SoqlBuilder() {
    }

    /**
     * The query of a scan: all records matching the pull filters, after {@code since} when given,
     * in (SystemModstamp, Id) order.
     *
     * @throws SyncException.Configuration naming the entity, field or filter that cannot be
     *     expressed
     */
    static String scan(String entity, List<String> fields, List<PullFilter> filters, Watermark since) {
        List<String> where = new ArrayList<>();
        for (PullFilter f : filters) {
            if (f.appliesTo(entity)) {
                where.add(condition(f));
            }
        }
        if (since != null) {
            where.add(after(since));
        }
        return select(entity, fields) + where(where) + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /** The query of specific records ({@code Id IN (…)}); {@code ids} are already 18-character ids. */
    static String byIds(String entity, List<String> fields, List<String> ids) {
        StringBuilder in = new StringBuilder();
        for (String id : ids) {
            if (!in.isEmpty()) {
                in.append(", ");
            }
            in.append('\'').append(id).append('\'');
        }
        return select(entity, fields) + " WHERE Id IN (" + in + ")";
    }

    /** The {@code queryAll} query of deletions after {@code since} (all of them when null). */
    static String deletedAfter(String entity, Watermark since) {
        List<String> where = new ArrayList<>();
        where.add("IsDeleted = true");
        if (since != null) {
            where.add(after(since));
        }
        return "SELECT Id, SystemModstamp, IsDeleted FROM " + entity(entity) + where(where)
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /**
     * A checked entity name.
     *
     * @throws SyncException.Configuration when it is not an API name
     */
    static String entity(String entity) {
        if (entity == null || !NAME.matcher(entity).matches()) {
            throw configuration("entity '" + entity + "' is not a Salesforce object API name");
        }
        return entity;
    }

    /** A SOQL text literal: quoted, with backslash, quote and control characters escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        throw new IllegalArgumentException("control character U+" + String.format("%04X", (int) c));
                    }
                    out.append(c);
                }
            }
        }
        return out.append('\'').toString();
    }

    private static String select(String entity, List<String> fields) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("id", "Id");
        names.put("systemmodstamp", "SystemModstamp");
        for (String f : fields) {
            if (f == null || !FIELD.matcher(f).matches()) {
                throw configuration("field '" + f + "' of entity " + entity + " is not a Salesforce field API name "
                        + "(letters, digits and underscores, relationship paths joined with dots)");
            }
            names.putIfAbsent(f.toLowerCase(Locale.ROOT), f);
        }
        return "SELECT " + String.join(", ", names.values()) + " FROM " + entity(entity);
    }

    private static String where(List<String> conditions) {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String after(Watermark since) {
        String stamp = SalesforceDates.soqlLiteral(since.stamp());
        Optional<String> id = SalesforceId.normalise(since.id());
        if (id.isEmpty()) {
            return "SystemModstamp >= " + stamp;
        }
        return "(SystemModstamp > " + stamp + " OR (SystemModstamp = " + stamp + " AND Id > '" + id.get() + "'))";
    }

    private static String condition(PullFilter filter) {
        String field = filter.field();
        if (!FIELD.matcher(field).matches()) {
            throw badFilter(filter, "the field is not a Salesforce field API name");
        }
        JsonNode value = filter.value();
        return switch (filter.operator()) {
            case EQ -> nullable(filter, field, "=", "=", value);
            case NE -> nullable(filter, field, "!=", "!=", value);
            case GT -> field + " > " + literal(filter, value);
            case GTE -> field + " >= " + literal(filter, value);
            case LT -> field + " < " + literal(filter, value);
            case LTE -> field + " <= " + literal(filter, value);
            case LIKE -> {
                if (value == null || !value.isTextual()) {
                    throw badFilter(filter, "like needs a text pattern");
                }
                yield field + " LIKE " + text(filter, value.asText());
            }
            case IN -> {
                if (value == null || !value.isArray() || value.isEmpty()) {
                    throw badFilter(filter, "in needs a non-empty array of literals");
                }
                List<String> items = new ArrayList<>();
                for (JsonNode v : value) {
                    items.add(literal(filter, v));
                }
                yield field + " IN (" + String.join(", ", items) + ")";
            }
        };
    }

    private static String nullable(PullFilter filter, String field, String op, String nullOp, JsonNode value) {
        if (value == null || value.isNull()) {
            return field + " " + nullOp + " null";
        }
        return field + " " + op + " " + literal(filter, value);
    }

    private static String literal(PullFilter filter, JsonNode value) {
        if (value == null || value.isNull()) {
            throw badFilter(filter, "null can only be compared with eq or ne");
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "true" : "false";
        }
        if (value.isNumber()) {
            return value.decimalValue().toPlainString();
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (DATETIME.matcher(s).matches() || DATE.matcher(s).matches()) {
                return s;
            }
            return text(filter, s);
        }
        throw badFilter(filter, "the value must be text, a number, a boolean or (for in) an array of those");
    }

    private static String text(PullFilter filter, String s) {
        try {
            return quote(s);
        } catch (IllegalArgumentException e) {
            throw badFilter(filter, "the value contains a " + e.getMessage() + ", which SOQL literals cannot hold");
        }
    }

    private static SyncException.Configuration badFilter(PullFilter filter, String why) {
        return configuration("pull filter " + filter.field() + " " + filter.operator().wire()
                + (filter.entity() == null ? "" : " on " + filter.entity()) + " cannot be expressed in SOQL: " + why);
    }

    private static SyncException.Configuration configuration(String message) {
        return new SyncException.Configuration(message, SyncException.Details.of(SalesforceSettings.PROVIDER, 0, null));
    }
}
