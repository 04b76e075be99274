package com.castiel.sync.testkit.fake.salesforce;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The schema of one fake sObject type: its fields and the rules the fake enforces on writes
 * (required fields, external ids, unique values). Every type also has the system fields
 * {@code Id}, {@code IsDeleted}, {@code CreatedDate}, {@code LastModifiedDate} and
 * {@code SystemModstamp}, which are read only. Immutable.
 *
 * @param name API name ({@code Account}); paths and SOQL match it case-insensitively
 * @param keyPrefix the 3-character id prefix of its records
 * @param fields writable fields, by canonical name
 * @param required fields a create must set to a non-null value and an update may not clear
 */
public record SObjectType(String name, String keyPrefix, Map<String, SObjectField> fields, Set<String> required) {

    /** Read-only fields every type has. */
    public static final List<SObjectField> SYSTEM_FIELDS = List.of(
            SObjectField.of("Id", SObjectField.Type.ID),
            SObjectField.of("IsDeleted", SObjectField.Type.BOOLEAN),
            SObjectField.of("CreatedDate", SObjectField.Type.DATETIME),
            SObjectField.of("LastModifiedDate", SObjectField.Type.DATETIME),
            SObjectField.of("SystemModstamp", SObjectField.Type.DATETIME));

    public SObjectType {
        Objects.requireNonNull(name, "name");
        if (keyPrefix == null || keyPrefix.length() != 3) {
            throw new IllegalArgumentException("key prefix of " + name + " must have 3 characters");
        }
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        required = Set.copyOf(required);
        for (String f : required) {
            if (!fields.containsKey(f)) {
                throw new IllegalArgumentException("required field " + f + " is not a field of " + name);
            }
        }
        for (SObjectField f : SYSTEM_FIELDS) {
            if (fields.containsKey(f.name())) {
                throw new IllegalArgumentException(f.name() + " is a system field and cannot be declared on " + name);
            }
        }
    }

    /** A type from its writable fields. */
    public static SObjectType of(String name, String keyPrefix, Collection<SObjectField> fields, Set<String> required) {
        Map<String, SObjectField> byName = new LinkedHashMap<>();
        for (SObjectField f : fields) {
            byName.put(f.name(), f);
        }
        return new SObjectType(name, keyPrefix, byName, required);
    }

    /** {@code User}: Name, Username, Email, IsActive. */
    public static SObjectType user() {
        return of("User", "005", List.of(
                SObjectField.of("Name", SObjectField.Type.STRING),
                SObjectField.of("Username", SObjectField.Type.STRING),
                SObjectField.of("Email", SObjectField.Type.STRING),
                SObjectField.of("IsActive", SObjectField.Type.BOOLEAN)), Set.of("Name"));
    }

    /**
     * {@code Account}: Name (required), AccountNumber, Industry, AnnualRevenue, NumberOfEmployees,
     * Website, Phone, BillingCity, BillingCountry, Description, OwnerId (relationship
     * {@code Owner} to User) and {@code External_Id__c} (a unique external id).
     */
    public static SObjectType account() {
        return of("Account", "001", List.of(
                SObjectField.of("Name", SObjectField.Type.STRING),
                SObjectField.of("AccountNumber", SObjectField.Type.STRING),
                SObjectField.of("Industry", SObjectField.Type.STRING),
                SObjectField.of("AnnualRevenue", SObjectField.Type.DOUBLE),
                SObjectField.of("NumberOfEmployees", SObjectField.Type.INT),
                SObjectField.of("Website", SObjectField.Type.STRING),
                SObjectField.of("Phone", SObjectField.Type.STRING),
                SObjectField.of("BillingCity", SObjectField.Type.STRING),
                SObjectField.of("BillingCountry", SObjectField.Type.STRING),
                SObjectField.of("Description", SObjectField.Type.STRING),
                SObjectField.reference("OwnerId", "User", "Owner"),
                SObjectField.externalId("External_Id__c", true)), Set.of("Name"));
    }

    /**
     * {@code Contact}: FirstName, LastName (required), Email (an external id that is <em>not</em>
     * unique, so upserts on it can match several records), Phone, Title, Birthdate, AccountId
     * (relationship {@code Account}), OwnerId (relationship {@code Owner}) and
     * {@code External_Id__c} (a unique external id).
     */
    public static SObjectType contact() {
        return of("Contact", "003", List.of(
                SObjectField.of("FirstName", SObjectField.Type.STRING),
                SObjectField.of("LastName", SObjectField.Type.STRING),
                SObjectField.externalId("Email", false),
                SObjectField.of("Phone", SObjectField.Type.STRING),
                SObjectField.of("Title", SObjectField.Type.STRING),
                SObjectField.of("Birthdate", SObjectField.Type.DATE),
                SObjectField.reference("AccountId", "Account", "Account"),
                SObjectField.reference("OwnerId", "User", "Owner"),
                SObjectField.externalId("External_Id__c", true)), Set.of("LastName"));
    }

    /** A writable or system field by name, case-insensitively. */
    public Optional<SObjectField> field(String fieldName) {
        String lower = fieldName.toLowerCase(Locale.ROOT);
        for (SObjectField f : SYSTEM_FIELDS) {
            if (f.name().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(f);
            }
        }
        return writableField(fieldName);
    }

    /** A writable field by name, case-insensitively. */
    public Optional<SObjectField> writableField(String fieldName) {
        SObjectField exact = fields.get(fieldName);
        if (exact != null) {
            return Optional.of(exact);
        }
        String lower = fieldName.toLowerCase(Locale.ROOT);
        return fields.values().stream().filter(f -> f.name().toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }

    /** The reference field behind a relationship name ({@code Owner} → {@code OwnerId}), case-insensitively. */
    public Optional<SObjectField> relationship(String relationshipName) {
        String lower = relationshipName.toLowerCase(Locale.ROOT);
        return fields.values().stream()
                .filter(f -> f.relationshipName() != null && f.relationshipName().toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }
}
