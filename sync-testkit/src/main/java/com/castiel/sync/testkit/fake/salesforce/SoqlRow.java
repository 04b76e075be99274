package com.castiel.sync.testkit.fake.salesforce;

/**
 * A record as SOQL conditions see it. Values are typed: {@code String} (text, ids),
 * {@code java.math.BigDecimal}, {@code Boolean}, {@code java.time.Instant},
 * {@code java.time.LocalDate}, or {@code null}.
 */
interface SoqlRow {

    Object value(SoqlFieldPath path);
}
