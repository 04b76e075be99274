package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.FilterOperator;
import com.castiel.sync.model.PullFilter;
import com.castiel.sync.model.Watermark;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoqlBuilderTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static String where(PullFilter... filters) {
        String soql = SoqlBuilder.scan("Account", List.of(), List.of(filters), null);
        return soql.substring(soql.indexOf(" WHERE ") + 7, soql.indexOf(" ORDER BY"));
    }

    @Test
    void a_scan_selects_id_and_system_modstamp_once_and_orders_by_them() {
        assertThat(SoqlBuilder.scan("Account", List.of("Name", "id", "SYSTEMMODSTAMP", "Owner.Name"), List.of(), null))
                .isEqualTo("SELECT Id, SystemModstamp, Name, Owner.Name FROM Account ORDER BY SystemModstamp ASC, Id ASC");
    }

    @Test
    void a_watermark_becomes_the_keyset_condition_on_stamp_and_id() {
        Watermark since = new Watermark(Instant.parse("2024-05-01T10:15:30Z"), "001D000000IRt53");

        assertThat(SoqlBuilder.scan("Account", List.of(), List.of(), since)).contains(
                "WHERE (SystemModstamp > 2024-05-01T10:15:30Z OR (SystemModstamp = 2024-05-01T10:15:30Z AND Id > '001D000000IRt53IAD'))");
    }

    @Test
    void a_watermark_without_a_usable_id_includes_its_own_stamp() {
        assertThat(SoqlBuilder.scan("Account", List.of(), List.of(), new Watermark(Instant.parse("2024-05-01T10:15:30Z"), "")))
                .contains("WHERE SystemModstamp >= 2024-05-01T10:15:30Z ORDER BY");
        assertThat(SoqlBuilder.scan("Account", List.of(), List.of(), new Watermark(Instant.parse("2024-05-01T10:15:30Z"), "x' OR 1=1")))
                .contains("WHERE SystemModstamp >= 2024-05-01T10:15:30Z ORDER BY");
    }

    @Test
    void date_time_literals_carry_a_fraction_only_when_the_instant_has_one() {
        assertThat(SalesforceDates.soqlLiteral(Instant.parse("2024-05-01T10:15:30Z"))).isEqualTo("2024-05-01T10:15:30Z");
        assertThat(SalesforceDates.soqlLiteral(Instant.parse("2024-05-01T10:15:30.120Z"))).isEqualTo("2024-05-01T10:15:30.120Z");
        assertThat(SalesforceDates.soqlLiteral(Instant.parse("2024-05-01T10:15:30.000999999Z")))
                .as("truncated to Salesforce's milliseconds: a lower bound only widens").isEqualTo("2024-05-01T10:15:30Z");
    }

    @Test
    void text_literals_escape_backslashes_quotes_and_control_characters() {
        assertThat(SoqlBuilder.quote("O'Brien \\ \"Sons\"\n\t")).isEqualTo("'O\\'Brien \\\\ \\\"Sons\\\"\\n\\t'");
    }

    @Test
    void filters_translate_to_soql_operators_and_literals() {
        assertThat(where(new PullFilter(null, "Name", FilterOperator.EQ, JSON.textNode("A'B")))).isEqualTo("Name = 'A\\'B'");
        assertThat(where(new PullFilter(null, "Rating", FilterOperator.NE, JSON.nullNode()))).isEqualTo("Rating != null");
        assertThat(where(new PullFilter(null, "AnnualRevenue", FilterOperator.GT, JSON.numberNode(new BigDecimal("1E+6")))))
                .isEqualTo("AnnualRevenue > 1000000");
        assertThat(where(new PullFilter(null, "IsActive__c", FilterOperator.EQ, JSON.booleanNode(true)))).isEqualTo("IsActive__c = true");
        assertThat(where(new PullFilter(null, "CreatedDate", FilterOperator.GTE, JSON.textNode("2024-01-01T00:00:00Z"))))
                .isEqualTo("CreatedDate >= 2024-01-01T00:00:00Z");
        assertThat(where(new PullFilter(null, "CloseDate", FilterOperator.LT, JSON.textNode("2024-01-31"))))
                .isEqualTo("CloseDate < 2024-01-31");
        assertThat(where(new PullFilter(null, "Name", FilterOperator.LIKE, JSON.textNode("Acme%")))).isEqualTo("Name LIKE 'Acme%'");
        assertThat(where(new PullFilter(null, "Type", FilterOperator.IN, JSON.arrayNode().add("Customer").add("Partner"))))
                .isEqualTo("Type IN ('Customer', 'Partner')");
        assertThat(where(new PullFilter(null, "Owner.Email", FilterOperator.LTE, JSON.numberNode(3)))).isEqualTo("Owner.Email <= 3");
    }

    @Test
    void several_filters_are_joined_with_and_and_those_of_other_entities_left_out() {
        assertThat(where(new PullFilter("Account", "Type", FilterOperator.EQ, JSON.textNode("Customer")),
                new PullFilter("Contact", "LastName", FilterOperator.EQ, JSON.textNode("x")),
                new PullFilter(null, "Industry", FilterOperator.NE, JSON.textNode("Retail"))))
                .isEqualTo("Type = 'Customer' AND Industry != 'Retail'");
    }

    @Test
    void filters_soql_cannot_express_are_configuration_errors_naming_the_filter() {
        assertBad(new PullFilter(null, "Type", FilterOperator.IN, JSON.arrayNode()), "Type in");
        assertBad(new PullFilter(null, "Type", FilterOperator.IN, JSON.textNode("Customer")), "Type in");
        assertBad(new PullFilter(null, "Name", FilterOperator.LIKE, JSON.numberNode(3)), "Name like");
        assertBad(new PullFilter(null, "Amount", FilterOperator.GT, JSON.nullNode()), "Amount gt");
        assertBad(new PullFilter(null, "Tags", FilterOperator.EQ, JSON.objectNode().put("a", 1)), "Tags eq");
        assertBad(new PullFilter(null, "Name) OR (Id", FilterOperator.EQ, JSON.textNode("x")), "Name) OR (Id eq");
        assertBad(new PullFilter("Account", "Name", FilterOperator.EQ, JSON.textNode("bell\u0007")), "Name eq on Account");
    }

    @Test
    void entity_and_field_names_must_be_api_names() {
        assertThatThrownBy(() -> SoqlBuilder.scan("Account WHERE", List.of(), List.of(), null))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("Account WHERE");
        assertThatThrownBy(() -> SoqlBuilder.scan("Account", List.of("Name,Id"), List.of(), null))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("Name,Id");
    }

    @Test
    void queries_by_id_and_for_deletions() {
        assertThat(SoqlBuilder.byIds("Contact", List.of("Email"), List.of("003RM0000068xVCYAY", "003RM0000068xVDYAY")))
                .isEqualTo("SELECT Id, SystemModstamp, Email FROM Contact WHERE Id IN ('003RM0000068xVCYAY', '003RM0000068xVDYAY')");
        assertThat(SoqlBuilder.deletedAfter("Contact", null))
                .isEqualTo("SELECT Id, SystemModstamp, IsDeleted FROM Contact WHERE IsDeleted = true ORDER BY SystemModstamp ASC, Id ASC");
    }

    private static void assertBad(PullFilter filter, String named) {
        assertThatThrownBy(() -> SoqlBuilder.scan("Account", List.of(), List.of(filter), null))
                .isInstanceOf(SyncException.Configuration.class).hasMessageContaining("pull filter " + named);
    }

}
