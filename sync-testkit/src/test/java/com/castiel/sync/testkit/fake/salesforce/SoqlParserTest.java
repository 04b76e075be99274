package com.castiel.sync.testkit.fake.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoqlParserTest {

    private static final Map<String, SObjectType> TYPES = Map.of("account", SObjectType.account(), "contact", SObjectType.contact(),
            "user", SObjectType.user());

    private static SoqlQuery parse(String soql) {
        return SoqlParser.parse(soql, name -> Optional.ofNullable(TYPES.get(name.toLowerCase(java.util.Locale.ROOT))));
    }

    private static void assertRefused(String soql, String errorCode) {
        assertThatThrownBy(() -> parse(soql)).isInstanceOfSatisfying(SalesforceError.class, e -> {
            assertThat(e.errorCode()).isEqualTo(errorCode);
            assertThat(e.status()).isEqualTo(400);
        });
    }

    @Test
    void the_adapters_keyset_scan_parses_with_its_lower_bound() {
        SoqlQuery q = parse("SELECT Id, SystemModstamp, Name, Owner.Name FROM Account WHERE (SystemModstamp > 2024-05-01T10:15:30Z "
                + "OR (SystemModstamp = 2024-05-01T10:15:30Z AND Id > '001Fk0000000001IAA')) ORDER BY SystemModstamp ASC, Id ASC");

        assertThat(q.type().name()).isEqualTo("Account");
        assertThat(q.select()).extracting(SoqlFieldPath::display).containsExactly("Id", "SystemModstamp", "Name", "Owner.Name");
        assertThat(SoqlCondition.stampLowerBound(q.where())).contains(Instant.parse("2024-05-01T10:15:30Z"));
        assertThat(q.limit()).isNull();
    }

    @Test
    void keywords_and_names_are_case_insensitive_and_duplicates_collapse() {
        SoqlQuery q = parse("select id, NAME, name from ACCOUNT where isdeleted = TRUE limit 5");

        assertThat(q.select()).extracting(SoqlFieldPath::display).containsExactly("Id", "Name");
        assertThat(q.limit()).isEqualTo(5);
    }

    @Test
    void id_literals_are_normalised_to_18_characters_and_pin_the_id_set() {
        SoqlQuery q = parse("SELECT Id FROM Account WHERE Id IN ('001Fk0000000001', '001Fk0000000002IAA')");

        assertThat(SoqlCondition.idSet(q.where())).contains(Set.of("001Fk0000000001IAA", "001Fk0000000002IAA"));
    }

    @Test
    void string_escapes_are_decoded() {
        SoqlQuery q = parse("SELECT Id FROM Account WHERE Name = 'O\\'Brien \\\\ \\\"Sons\\\"'");

        assertThat(((SoqlCondition.Compare) q.where()).literal().value()).isEqualTo("O'Brien \\ \"Sons\"");
    }

    @Test
    void like_patterns_treat_escaped_wildcards_as_plain_characters() {
        SoqlCondition.Like like = (SoqlCondition.Like) parse("SELECT Id FROM Account WHERE Name LIKE '50\\% off%'").where();

        assertThat(like.pattern().matcher("50% off today").matches()).isTrue();
        assertThat(like.pattern().matcher("50x off today").matches()).isFalse();
        assertThat(like.pattern().matcher("50% OFF").matches()).as("case-insensitive").isTrue();
    }

    @Test
    void other_syntax_is_refused_as_malformed_query() {
        assertRefused("SELECT COUNT() FROM Account", "MALFORMED_QUERY");
        assertRefused("SELECT Id FROM Account GROUP BY Name", "MALFORMED_QUERY");
        assertRefused("SELECT Id FROM Account ORDER BY Name", "MALFORMED_QUERY");
        assertRefused("SELECT Id FROM Account ORDER BY SystemModstamp DESC", "MALFORMED_QUERY");
        assertRefused("SELECT Id FROM Account WHERE Name = 'open", "MALFORMED_QUERY");
        assertRefused("SELECT Id, (SELECT Id FROM Contacts) FROM Account", "MALFORMED_QUERY");
        assertRefused("SELECT Id FROM Account WHERE CreatedDate > TODAY", "INVALID_FIELD");
        assertRefused("SELECT Id FROM Account OFFSET 10", "MALFORMED_QUERY");
        assertRefused("SELECT Id FORM Account", "MALFORMED_QUERY");
        assertRefused("", "MALFORMED_QUERY");
    }

    @Test
    void unknown_types_and_fields_and_mistyped_literals_are_refused_like_salesforce() {
        assertRefused("SELECT Id FROM Acount", "INVALID_TYPE");
        assertRefused("SELECT Nmae FROM Account", "INVALID_FIELD");
        assertRefused("SELECT Boss.Name FROM Account", "INVALID_FIELD");
        assertRefused("SELECT Id FROM Account WHERE SystemModstamp > '2024-01-01T00:00:00Z'", "INVALID_FIELD");
        assertRefused("SELECT Id FROM Account WHERE NumberOfEmployees = 'ten'", "INVALID_FIELD");
        assertRefused("SELECT Id FROM Account WHERE Id = 'nope'", "INVALID_QUERY_FILTER_OPERATOR");
    }
}
