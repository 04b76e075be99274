package com.castiel.sync.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A condition every pulled record must satisfy; adapters translate it into the provider's query
 * language (SOQL {@code WHERE}, OData {@code $filter}) and must reject operators or values they
 * cannot express with a {@code Configuration} error naming the filter.
 *
 * @param entity external entity the filter applies to; {@code null} applies it to every entity
 * @param field external field name
 * @param operator comparison
 * @param value literal (string, number, boolean) or, for {@code in}, an array of literals
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PullFilter(String entity, String field, FilterOperator operator, JsonNode value) {

    public PullFilter {
        Objects.requireNonNull(field, "field");
        operator = operator == null ? FilterOperator.EQ : operator;
    }

    /** Whether this filter applies to the given external entity. */
    public boolean appliesTo(String externalEntity) {
        return entity == null || entity.equals(externalEntity);
    }
}
