package com.castiel.sync.testkit.fake.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed {@code WHERE} clause, evaluated against one row. Semantics follow SOQL: text
 * comparisons ignore case (ids are compared exactly, which is the fake's {@code ORDER BY Id}
 * order), {@code !=} and {@code NOT IN} are true for null values, ordering comparisons with
 * null are false.
 */
sealed interface SoqlCondition {

    boolean test(SoqlRow row);

    /** Comparison operators. */
    enum Operator { EQ, NE, LT, LE, GT, GE }

    record And(List<SoqlCondition> parts) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            for (SoqlCondition c : parts) {
                if (!c.test(row)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<SoqlCondition> parts) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            for (SoqlCondition c : parts) {
                if (c.test(row)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(SoqlCondition inner) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            return !inner.test(row);
        }
    }

    record Compare(SoqlFieldPath path, Operator operator, SoqlLiteral literal) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            Object v = row.value(path);
            Object lit = literal.value();
            return switch (operator) {
                case EQ -> lit == null ? v == null : v != null && compare(path, v, lit) == 0;
                case NE -> lit == null ? v != null : v == null || compare(path, v, lit) != 0;
                case LT -> v != null && lit != null && compare(path, v, lit) < 0;
                case LE -> v != null && lit != null && compare(path, v, lit) <= 0;
                case GT -> v != null && lit != null && compare(path, v, lit) > 0;
                case GE -> v != null && lit != null && compare(path, v, lit) >= 0;
            };
        }
    }

    record In(SoqlFieldPath path, boolean negated, List<SoqlLiteral> literals) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            Object v = row.value(path);
            boolean found = false;
            for (SoqlLiteral l : literals) {
                Object lit = l.value();
                if (lit == null ? v == null : v != null && compare(path, v, lit) == 0) {
                    found = true;
                    break;
                }
            }
            return negated != found;
        }
    }

    record Like(SoqlFieldPath path, Pattern pattern) implements SoqlCondition {
        @Override
        public boolean test(SoqlRow row) {
            Object v = row.value(path);
            return v instanceof String s && pattern.matcher(s).matches();
        }
    }

    /**
     * The smallest {@code SystemModstamp} a matching row can have, when the condition implies
     * one: lets a scan start there instead of at the beginning.
     */
    static Optional<Instant> stampLowerBound(SoqlCondition c) {
        return switch (c) {
            case Compare cmp when cmp.path().isRoot("SystemModstamp") && cmp.literal() instanceof SoqlLiteral.DateTime dt
                    && (cmp.operator() == Operator.GT || cmp.operator() == Operator.GE || cmp.operator() == Operator.EQ) ->
                    Optional.of(dt.value());
            case And and -> and.parts().stream().map(SoqlCondition::stampLowerBound).flatMap(Optional::stream)
                    .max(Instant::compareTo);
            case Or or -> {
                Instant min = null;
                for (SoqlCondition part : or.parts()) {
                    Optional<Instant> b = stampLowerBound(part);
                    if (b.isEmpty()) {
                        yield Optional.empty();
                    }
                    min = min == null || b.get().isBefore(min) ? b.get() : min;
                }
                yield Optional.ofNullable(min);
            }
            default -> Optional.empty();
        };
    }

    /**
     * The ids a matching row must have, when the condition pins them ({@code Id = 'x'},
     * {@code Id IN (...)} at the top level): lets a query look records up instead of scanning.
     */
    static Optional<Set<String>> idSet(SoqlCondition c) {
        return switch (c) {
            case Compare cmp when cmp.path().isRoot("Id") && cmp.operator() == Operator.EQ && cmp.literal() instanceof SoqlLiteral.Text t ->
                    Optional.of(Set.of(t.value()));
            case In in when in.path().isRoot("Id") && !in.negated() -> {
                Set<String> ids = new HashSet<>();
                for (SoqlLiteral l : in.literals()) {
                    if (l instanceof SoqlLiteral.Text t) {
                        ids.add(t.value());
                    }
                }
                yield Optional.of(ids);
            }
            case And and -> {
                Set<String> result = null;
                for (SoqlCondition part : and.parts()) {
                    Optional<Set<String>> ids = idSet(part);
                    if (ids.isPresent()) {
                        if (result == null) {
                            result = new HashSet<>(ids.get());
                        } else {
                            result.retainAll(ids.get());
                        }
                    }
                }
                yield Optional.ofNullable(result);
            }
            default -> Optional.empty();
        };
    }

    private static int compare(SoqlFieldPath path, Object v, Object lit) {
        if (v instanceof String s && lit instanceof String l) {
            SObjectField.Type t = path.field().type();
            return t == SObjectField.Type.ID || t == SObjectField.Type.REFERENCE ? s.compareTo(l)
                    : s.toLowerCase(Locale.ROOT).compareTo(l.toLowerCase(Locale.ROOT));
        }
        if (v instanceof BigDecimal a && lit instanceof BigDecimal b) {
            return a.compareTo(b);
        }
        if (v instanceof Instant a && lit instanceof Instant b) {
            return a.compareTo(b);
        }
        if (v instanceof LocalDate a && lit instanceof LocalDate b) {
            return a.compareTo(b);
        }
        if (v instanceof Boolean a && lit instanceof Boolean b) {
            return a.equals(b) ? 0 : (a ? 1 : -1);
        }
        // the parser types every literal by its field, so a mismatch means a stored value of another type
        return v.toString().compareTo(lit.toString());
    }
}
