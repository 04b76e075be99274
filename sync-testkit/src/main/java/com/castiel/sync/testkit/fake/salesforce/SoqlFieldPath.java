package com.castiel.sync.testkit.fake.salesforce;

import java.util.Objects;

/**
 * A field a SOQL query names, resolved against the schema: a field of the queried type
 * ({@code Name}) or one relationship hop away ({@code Owner.Name}).
 *
 * @param lookup the reference field of the queried type the path goes through, or {@code null}
 *     for a direct field
 * @param target the type the field belongs to (the queried type, or the lookup's target)
 * @param field the field itself
 */
record SoqlFieldPath(SObjectField lookup, SObjectType target, SObjectField field) {

    SoqlFieldPath {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(field, "field");
    }

    boolean direct() {
        return lookup == null;
    }

    /** True for the queried type's own field of that name. */
    boolean isRoot(String name) {
        return lookup == null && field.name().equals(name);
    }

    /** The canonical spelling, e.g. {@code Owner.Name}. */
    String display() {
        return lookup == null ? field.name() : lookup.relationshipName() + "." + field.name();
    }
}
