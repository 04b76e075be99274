package com.castiel.sync.testkit.fake.salesforce;

import java.util.Objects;

/**
 * One field of a fake sObject type.
 *
 * @param name API name in its canonical case ({@code AnnualRevenue}); SOQL and request bodies
 *     match it case-insensitively, responses use this spelling
 * @param type value type
 * @param referenceTo for {@link Type#REFERENCE} fields, the type the id points to; else {@code null}
 * @param relationshipName for references, the name used in dotted SOQL paths ({@code Owner} for
 *     {@code OwnerId}); else {@code null}
 * @param externalId whether upserts may match on it
 * @param unique whether no two live records may share a non-null value
 */
public record SObjectField(String name, Type type, String referenceTo, String relationshipName, boolean externalId, boolean unique) {

    /** Value types, with the JSON shape each takes on the wire. */
    public enum Type {
        /** The record id: 18-character text, read only. */
        ID,
        /** Text. */
        STRING,
        /** A JSON number with a fraction (currency, percent, double). */
        DOUBLE,
        /** A JSON number without a fraction. */
        INT,
        /** JSON {@code true}/{@code false}. */
        BOOLEAN,
        /** {@code 2013-05-20T20:49:32.000+0000} on the wire; unquoted date-time literals in SOQL. */
        DATETIME,
        /** {@code 2013-05-20}; unquoted date literals in SOQL. */
        DATE,
        /** The id of a record of {@link #referenceTo()}. */
        REFERENCE
    }

    public SObjectField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (type == Type.REFERENCE && (referenceTo == null || relationshipName == null)) {
            throw new IllegalArgumentException("reference field " + name + " needs referenceTo and relationshipName");
        }
    }

    public static SObjectField of(String name, Type type) {
        return new SObjectField(name, type, null, null, false, false);
    }

    public static SObjectField reference(String name, String referenceTo, String relationshipName) {
        return new SObjectField(name, Type.REFERENCE, referenceTo, relationshipName, false, false);
    }

    /** An external-id text field; {@code unique} decides whether upserts can ever match several records. */
    public static SObjectField externalId(String name, boolean unique) {
        return new SObjectField(name, Type.STRING, null, null, true, unique);
    }
}
