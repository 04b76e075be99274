package com.castiel.sync.testkit.fake.salesforce;

import java.util.List;
import java.util.Objects;

/**
 * A parsed, schema-checked SOQL query of the subset the fake runs (see {@link SoqlParser}).
 *
 * @param type the queried sObject type
 * @param select the selected fields, in query order, without duplicates
 * @param where the condition, or {@code null} for all rows
 * @param limit the most rows to return, or {@code null} for no limit
 */
record SoqlQuery(SObjectType type, List<SoqlFieldPath> select, SoqlCondition where, Integer limit) {

    SoqlQuery {
        Objects.requireNonNull(type, "type");
        select = List.copyOf(select);
    }

    boolean matches(SoqlRow row) {
        return where == null || where.test(row);
    }
}
