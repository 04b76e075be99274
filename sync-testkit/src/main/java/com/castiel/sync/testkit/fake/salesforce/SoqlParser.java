package com.castiel.sync.testkit.fake.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the SOQL subset the fake runs and checks it against the schema. Anything outside the
 * subset is refused with {@code MALFORMED_QUERY} (400), as Salesforce refuses bad syntax; unknown
 * types with {@code INVALID_TYPE}, unknown fields and mistyped literals with
 * {@code INVALID_FIELD}, malformed ids with {@code INVALID_QUERY_FILTER_OPERATOR}.
 *
 * <pre>
 * query     := SELECT path (',' path)* FROM type [WHERE or] [ORDER BY order] [LIMIT integer]
 * path      := field | relationship '.' field
 * or        := and (OR and)*
 * and       := not (AND not)*
 * not       := NOT not | '(' or ')' | condition
 * condition := path op literal | path [NOT] IN '(' literal (',' literal)* ')' | path LIKE 'text'
 * op        := '=' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * literal   := 'text' | number | true | false | null | 2024-01-31T10:00:00[.SSS](Z|+hh:mm) | 2024-01-31
 * order     := SystemModstamp [ASC] [',' Id [ASC]]
 * </pre>
 *
 * Keywords and field names are case-insensitive; text literals use SOQL escapes ({@code \'},
 * {@code \\}, {@code \"}, {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, and
 * {@code \%} / {@code \_} inside {@code LIKE}). Not supported: sub-queries, aggregates,
 * {@code GROUP BY}, {@code OFFSET}, date literals like {@code TODAY}, other {@code ORDER BY}
 * keys (the fake serves rows in (SystemModstamp, Id) order only). Stateless.
 */
final class SoqlParser {

    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");
    /** Stand-ins for the escaped wildcards {@code \%} and {@code \_} between tokenizing and use. */
    private static final char LITERAL_PERCENT = '\uE000';
    private static final char LITERAL_UNDERSCORE = '\uE001';
    private static final Set<String> RESERVED = Set.of("select", "from", "where", "order", "by", "limit", "and", "or", "not",
            "in", "like", "asc", "desc", "nulls", "true", "false", "null", "group", "having", "offset", "with", "for", "using", "typeof");

    private enum Kind { WORD, TEXT, NUMBER, DATETIME, DATE, OPERATOR, PUNCT, END }

    private record Token(Kind kind, String text, int column) {
        boolean word(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean punct(String p) {
            return kind == Kind.PUNCT && text.equals(p);
        }
    }

    private final String soql;
    private final Function<String, Optional<SObjectType>> types;
    private final List<Token> tokens;
    private int pos;
    private SObjectType type;

    private SoqlParser(String soql, Function<String, Optional<SObjectType>> types) {
        this.soql = soql;
        this.types = types;
        this.tokens = tokenize(soql);
    }

    /**
     * Parses and checks a query.
     *
     * @param types finds a type by name, case-insensitively
     * @throws SalesforceError when the query is outside the subset, names unknown types or fields,
     *     or compares a field with a literal of the wrong type
     */
    static SoqlQuery parse(String soql, Function<String, Optional<SObjectType>> types) {
        if (soql == null || soql.isBlank()) {
            throw SalesforceError.malformedQuery("the query string is empty");
        }
        return new SoqlParser(soql, types).query();
    }

    private SoqlQuery query() {
        expectWord("SELECT");
        List<String[]> raw = new ArrayList<>();
        do {
            raw.add(pathText());
        } while (acceptPunct(","));
        expectWord("FROM");
        Token typeToken = next();
        if (typeToken.kind() != Kind.WORD || RESERVED.contains(typeToken.text().toLowerCase(Locale.ROOT))) {
            throw unexpected(typeToken);
        }
        type = types.apply(typeToken.text()).orElseThrow(() -> new SalesforceError(400, "INVALID_TYPE",
                "sObject type '" + typeToken.text() + "' is not supported. If you are attempting to use a custom object, be sure "
                        + "to append the '__c' after the entity name. Please reference your WSDL or the describe call for the "
                        + "appropriate names."));
        Map<String, SoqlFieldPath> select = new LinkedHashMap<>();
        for (String[] p : raw) {
            SoqlFieldPath path = resolve(p);
            select.putIfAbsent(path.display().toLowerCase(Locale.ROOT), path);
        }
        SoqlCondition where = null;
        if (acceptWord("WHERE")) {
            where = or();
        }
        if (acceptWord("ORDER")) {
            expectWord("BY");
            orderBy();
        }
        Integer limit = null;
        if (acceptWord("LIMIT")) {
            Token n = next();
            if (n.kind() != Kind.NUMBER || n.text().contains(".") || n.text().startsWith("-")) {
                throw unexpected(n);
            }
            try {
                limit = Integer.parseInt(n.text());
            } catch (NumberFormatException e) {
                throw unexpected(n);
            }
        }
        Token end = next();
        if (end.kind() != Kind.END) {
            throw unexpected(end);
        }
        return new SoqlQuery(type, List.copyOf(select.values()), where, limit);
    }

    private void orderBy() {
        Token first = next();
        if (!first.word("SystemModstamp")) {
            throw SalesforceError.malformedQuery("the fake Salesforce orders only by SystemModstamp, Id; got ORDER BY '"
                    + first.text() + "' at column " + first.column());
        }
        direction();
        if (acceptPunct(",")) {
            Token second = next();
            if (!second.word("Id")) {
                throw SalesforceError.malformedQuery("the fake Salesforce orders only by SystemModstamp, Id; got '"
                        + second.text() + "' at column " + second.column());
            }
            direction();
        }
    }

    private void direction() {
        if (peek().word("DESC")) {
            throw SalesforceError.malformedQuery("the fake Salesforce orders ascending only (column " + peek().column() + ")");
        }
        acceptWord("ASC");
        if (acceptWord("NULLS")) {
            Token t = next();
            if (!t.word("FIRST") && !t.word("LAST")) {
                throw unexpected(t);
            }
        }
    }

    private SoqlCondition or() {
        List<SoqlCondition> parts = new ArrayList<>();
        parts.add(and());
        while (acceptWord("OR")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new SoqlCondition.Or(parts);
    }

    private SoqlCondition and() {
        List<SoqlCondition> parts = new ArrayList<>();
        parts.add(not());
        while (acceptWord("AND")) {
            parts.add(not());
        }
        return parts.size() == 1 ? parts.get(0) : new SoqlCondition.And(parts);
    }

    private SoqlCondition not() {
        if (acceptWord("NOT")) {
            return new SoqlCondition.Not(not());
        }
        if (acceptPunct("(")) {
            SoqlCondition inner = or();
            expectPunct(")");
            return inner;
        }
        return condition();
    }

    private SoqlCondition condition() {
        SoqlFieldPath path = resolve(pathText());
        Token t = next();
        if (t.kind() == Kind.OPERATOR) {
            SoqlCondition.Operator op = switch (t.text()) {
                case "=" -> SoqlCondition.Operator.EQ;
                case "!=", "<>" -> SoqlCondition.Operator.NE;
                case "<" -> SoqlCondition.Operator.LT;
                case "<=" -> SoqlCondition.Operator.LE;
                case ">" -> SoqlCondition.Operator.GT;
                case ">=" -> SoqlCondition.Operator.GE;
                default -> throw unexpected(t);
            };
            return new SoqlCondition.Compare(path, op, literal(path, next()));
        }
        boolean negated = false;
        if (t.word("NOT")) {
            negated = true;
            t = next();
            if (!t.word("IN")) {
                throw unexpected(t);
            }
        }
        if (t.word("IN")) {
            expectPunct("(");
            List<SoqlLiteral> values = new ArrayList<>();
            do {
                values.add(literal(path, next()));
            } while (acceptPunct(","));
            expectPunct(")");
            return new SoqlCondition.In(path, negated, values);
        }
        if (t.word("LIKE")) {
            Token pattern = next();
            if (pattern.kind() != Kind.TEXT) {
                throw unexpected(pattern);
            }
            SObjectField.Type ft = path.field().type();
            if (ft != SObjectField.Type.STRING && ft != SObjectField.Type.ID && ft != SObjectField.Type.REFERENCE) {
                throw new SalesforceError(400, "INVALID_FIELD", "invalid operator on field: " + path.display()
                        + ": LIKE applies to text fields only");
            }
            return new SoqlCondition.Like(path, likePattern(pattern.text()));
        }
        throw unexpected(t);
    }

    private SoqlLiteral literal(SoqlFieldPath path, Token t) {
        if (t.word("null")) {
            return new SoqlLiteral.Null();
        }
        String field = path.display();
        return switch (path.field().type()) {
            case ID, REFERENCE -> {
                if (t.kind() != Kind.TEXT) {
                    throw typeMismatch(field, "id", t);
                }
                String text = unescapeWildcards(t.text());
                yield new SoqlLiteral.Text(SalesforceIds.normalise(text).orElseThrow(() -> new SalesforceError(400,
                        "INVALID_QUERY_FILTER_OPERATOR", "invalid ID field: " + text)));
            }
            case STRING -> {
                if (t.kind() != Kind.TEXT) {
                    throw typeMismatch(field, "string", t);
                }
                yield new SoqlLiteral.Text(unescapeWildcards(t.text()));
            }
            case DOUBLE, INT -> {
                if (t.kind() != Kind.NUMBER) {
                    throw typeMismatch(field, "number", t);
                }
                yield new SoqlLiteral.Number(new BigDecimal(t.text()));
            }
            case BOOLEAN -> {
                if (!t.word("true") && !t.word("false")) {
                    throw typeMismatch(field, "boolean", t);
                }
                yield new SoqlLiteral.Bool(t.word("true"));
            }
            case DATETIME -> {
                if (t.kind() != Kind.DATETIME) {
                    throw new SalesforceError(400, "INVALID_FIELD", "value of filter criterion for field '" + field
                            + "' must be of type dateTime and should not be enclosed in quotes");
                }
                yield new SoqlLiteral.DateTime(instant(t));
            }
            case DATE -> {
                if (t.kind() != Kind.DATE) {
                    throw new SalesforceError(400, "INVALID_FIELD", "value of filter criterion for field '" + field
                            + "' must be of type date and should not be enclosed in quotes");
                }
                yield new SoqlLiteral.Date(LocalDate.parse(t.text()));
            }
        };
    }

    private Instant instant(Token t) {
        try {
            return OffsetDateTime.parse(t.text()).toInstant();
        } catch (DateTimeParseException e) {
            throw SalesforceError.malformedQuery("invalid date-time literal '" + t.text() + "' at column " + t.column());
        }
    }

    private SalesforceError typeMismatch(String field, String expected, Token t) {
        if (t.kind() == Kind.END || t.kind() == Kind.PUNCT || t.kind() == Kind.OPERATOR) {
            return unexpected(t);
        }
        return new SalesforceError(400, "INVALID_FIELD", "value of filter criterion for field '" + field
                + "' must be of type " + expected + (t.kind() == Kind.TEXT ? " and should not be enclosed in quotes" : ""));
    }

    private String[] pathText() {
        Token first = next();
        if (first.kind() != Kind.WORD || RESERVED.contains(first.text().toLowerCase(Locale.ROOT))) {
            throw unexpected(first);
        }
        if (acceptPunct(".")) {
            Token second = next();
            if (second.kind() != Kind.WORD) {
                throw unexpected(second);
            }
            if (peek().punct(".")) {
                throw SalesforceError.malformedQuery("the fake Salesforce follows one relationship hop only (column "
                        + peek().column() + ")");
            }
            return new String[] {first.text(), second.text()};
        }
        if (peek().punct("(")) {
            throw SalesforceError.malformedQuery("functions and aggregates are not supported by the fake Salesforce (column "
                    + peek().column() + ")");
        }
        return new String[] {first.text()};
    }

    private SoqlFieldPath resolve(String[] path) {
        if (path.length == 1) {
            SObjectField f = type.field(path[0]).orElseThrow(() -> noSuchColumn(path[0], type.name()));
            return new SoqlFieldPath(null, type, f);
        }
        SObjectField lookup = type.relationship(path[0]).orElseThrow(() -> new SalesforceError(400, "INVALID_FIELD",
                "Didn't understand relationship '" + path[0] + "' in field path. If you are attempting to use a custom "
                        + "relationship, be sure to append the '__r' after the custom relationship name."));
        SObjectType target = types.apply(lookup.referenceTo()).orElseThrow(() -> new SalesforceError(400, "INVALID_FIELD",
                "relationship '" + path[0] + "' points to an unknown type"));
        SObjectField f = target.field(path[1]).orElseThrow(() -> noSuchColumn(path[1], target.name()));
        return new SoqlFieldPath(lookup, target, f);
    }

    private static SalesforceError noSuchColumn(String field, String entity) {
        return new SalesforceError(400, "INVALID_FIELD", "No such column '" + field + "' on entity '" + entity
                + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. "
                + "Please reference your WSDL or the describe call for the appropriate names.");
    }

    private static Pattern likePattern(String raw) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == LITERAL_PERCENT) {
                regex.append('%');
            } else if (c == LITERAL_UNDERSCORE) {
                regex.append('_');
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /** Outside LIKE, {@code \%} and {@code \_} stand for the plain characters. */
    private static String unescapeWildcards(String text) {
        return text.replace(LITERAL_PERCENT, '%').replace(LITERAL_UNDERSCORE, '_');
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Kind.END) {
            pos++;
        }
        return t;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private boolean acceptWord(String keyword) {
        if (peek().word(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean acceptPunct(String p) {
        if (peek().punct(p)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectWord(String keyword) {
        Token t = next();
        if (!t.word(keyword)) {
            throw unexpected(t);
        }
    }

    private void expectPunct(String p) {
        Token t = next();
        if (!t.punct(p)) {
            throw unexpected(t);
        }
    }

    private SalesforceError unexpected(Token t) {
        String what = t.kind() == Kind.END ? "end of query" : "'" + t.text() + "'";
        return SalesforceError.malformedQuery("\n" + soql + "\nERROR at Row:1:Column:" + t.column() + "\nunexpected token: " + what);
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            int column = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder text = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = s.charAt(i);
                    if (d == '\\') {
                        if (i + 1 >= n) {
                            break;
                        }
                        char e = s.charAt(i + 1);
                        switch (e) {
                            case '\\' -> text.append('\\');
                            case '\'' -> text.append('\'');
                            case '"' -> text.append('"');
                            case 'n', 'N' -> text.append('\n');
                            case 'r', 'R' -> text.append('\r');
                            case 't', 'T' -> text.append('\t');
                            case 'b', 'B' -> text.append('\b');
                            case 'f', 'F' -> text.append('\f');
                            case '%' -> text.append(LITERAL_PERCENT);
                            case '_' -> text.append(LITERAL_UNDERSCORE);
                            default -> throw SalesforceError.malformedQuery("invalid escape sequence '\\" + e
                                    + "' in the string literal at column " + column);
                        }
                        i += 2;
                    } else if (d == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        text.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw SalesforceError.malformedQuery("unterminated string literal starting at column " + column);
                }
                out.add(new Token(Kind.TEXT, text.toString(), column));
            } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
                Matcher dt = DATETIME.matcher(s).region(i, n);
                Matcher d = DATE.matcher(s).region(i, n);
                Matcher num = NUMBER.matcher(s).region(i, n);
                if (c != '-' && dt.lookingAt()) {
                    out.add(new Token(Kind.DATETIME, dt.group(), column));
                    i = dt.end();
                } else if (c != '-' && d.lookingAt() && (d.end() == n || !Character.isLetterOrDigit(s.charAt(d.end())))) {
                    out.add(new Token(Kind.DATE, d.group(), column));
                    i = d.end();
                } else if (num.lookingAt()) {
                    out.add(new Token(Kind.NUMBER, num.group(), column));
                    i = num.end();
                } else {
                    throw SalesforceError.malformedQuery("unexpected character '" + c + "' at column " + column);
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Token(Kind.WORD, s.substring(start, i), column));
            } else if (c == '<' || c == '>' || c == '=' || c == '!') {
                String two = i + 1 < n ? s.substring(i, i + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("<>")) {
                    out.add(new Token(Kind.OPERATOR, two, column));
                    i += 2;
                } else if (c == '!') {
                    throw SalesforceError.malformedQuery("unexpected character '!' at column " + column);
                } else {
                    out.add(new Token(Kind.OPERATOR, String.valueOf(c), column));
                    i++;
                }
            } else if (c == '(' || c == ')' || c == ',' || c == '.') {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), column));
                i++;
            } else {
                throw SalesforceError.malformedQuery("unexpected character '" + c + "' at column " + column);
            }
        }
        out.add(new Token(Kind.END, "", n + 1));
        return out;
    }
}
