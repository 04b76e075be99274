package com.castiel.sync.testkit.fake.salesforce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A literal in a SOQL condition, already typed against the field it is compared with. */
sealed interface SoqlLiteral {

    /** The Java value compared with {@link SoqlRow#value}; {@code null} for {@link Null}. */
    Object value();

    record Text(String value) implements SoqlLiteral {
    }

    record Number(BigDecimal value) implements SoqlLiteral {
    }

    record Bool(Boolean value) implements SoqlLiteral {
    }

    record DateTime(Instant value) implements SoqlLiteral {
    }

    record Date(LocalDate value) implements SoqlLiteral {
    }

    record Null() implements SoqlLiteral {
        @Override
        public Object value() {
            return null;
        }
    }
}
