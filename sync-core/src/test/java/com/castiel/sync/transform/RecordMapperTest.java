package com.castiel.sync.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.FieldDirection;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.spi.ErrorCode;
import com.castiel.sync.spi.SyncException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    /** A Salesforce Account mapping covering every type, direction and option. */
    private static final EntityMapping ACCOUNT = EntityMapping.of("Account", "company", List.of(
            FieldMapping.of("Name", "name").asRequired(),
            FieldMapping.of("AnnualRevenue", "finance.revenue", FieldType.NUMBER).withDirection(FieldDirection.IN),
            FieldMapping.of("NumberOfEmployees", "employees", FieldType.INTEGER),
            FieldMapping.of("Rating", "rating").withValueMap(Map.of("Hot", "hot", "Warm", "warm", "Cold", "cold"))
                    .withDefault(TextNode.valueOf("unknown")),
            FieldMapping.of("Owner.Name", "owner"),
            FieldMapping.of("IsPartner__c", "partner", FieldType.BOOLEAN),
            FieldMapping.of("LastActivityDate", "lastActivity", FieldType.DATE).withFormat("salesforce"),
            FieldMapping.of("SystemModstamp", "modifiedAt", FieldType.DATETIME).withFormat("salesforce")
                    .withDirection(FieldDirection.IN),
            FieldMapping.of("Tier__c", "tier").withDirection(FieldDirection.OUT)));

    private final RecordMapper mapper = new RecordMapper(ACCOUNT);

    private static ObjectNode object(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    private static List<String> keys(ObjectNode node) {
        return node.properties().stream().map(Map.Entry::getKey).toList();
    }

    private static ExternalRecord account(String fieldsJson) {
        return ExternalRecord.of("Account", "001000000000001AAA", object(fieldsJson), Instant.parse("2013-05-20T20:49:32Z"), null);
    }

    private static final String FULL_ACCOUNT = """
            {"attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/Account/001000000000001AAA"},
             "Id": "001000000000001AAA", "Name": "Acme", "AnnualRevenue": 1250000.50, "NumberOfEmployees": 42,
             "Rating": "Hot", "Owner": {"attributes": {"type": "User"}, "Name": "Ada Lovelace"}, "IsPartner__c": false,
             "LastActivityDate": "2013-05-19", "SystemModstamp": "2013-05-20T20:49:32.000+0000", "Tier__c": "Gold"}
            """;

    @Test
    void inbound_record_becomes_flat_shard_values_in_mapping_order() {
        MappedValues mapped = mapper.toShard(account(FULL_ACCOUNT));

        assertThat(SyncJson.write(mapped.values())).isEqualTo("{\"name\":\"Acme\",\"finance.revenue\":1250000.5,\"employees\":42,"
                + "\"rating\":\"hot\",\"owner\":\"Ada Lovelace\",\"partner\":false,\"lastActivity\":\"2013-05-19\","
                + "\"modifiedAt\":\"2013-05-20T20:49:32.000Z\"}");
        assertThat(mapped.hash()).isEqualTo(RecordMapper.hash(mapped.values())).hasSize(64);
    }

    @Test
    void outbound_only_fields_are_not_read_inbound() {
        MappedValues mapped = mapper.toShard(account(FULL_ACCOUNT));

        assertThat(mapped.values().has("tier")).isFalse();
        assertThat(mapper.inboundShardFields()).doesNotContain("tier");
    }

    @Test
    void inbound_only_and_nested_fields_are_not_written_back() {
        ObjectNode flat = object("{\"name\": \"Acme\", \"finance.revenue\": 10, \"owner\": \"Ada\", \"modifiedAt\": \"2013-05-20T20:49:32.000Z\","
                + " \"tier\": \"Gold\"}");

        ObjectNode external = mapper.toExternal(flat, List.of());

        assertThat(external).isEqualTo(object("{\"Name\": \"Acme\", \"Tier__c\": \"Gold\"}"));
        assertThat(mapper.writableExternalFields())
                .containsExactly("Name", "NumberOfEmployees", "Rating", "IsPartner__c", "LastActivityDate", "Tier__c");
    }

    @Test
    void null_related_object_maps_to_null() {
        MappedValues mapped = mapper.toShard(account("{\"Name\": \"Acme\", \"Owner\": null}"));

        assertThat(mapped.values().get("owner").isNull()).isTrue();
    }

    @Test
    void absent_or_null_field_without_default_is_present_as_null_so_clearing_propagates() {
        MappedValues mapped = mapper.toShard(account("{\"Name\": \"Acme\", \"NumberOfEmployees\": null}"));

        assertThat(mapped.values().has("employees")).isTrue();
        assertThat(mapped.values().get("employees").isNull()).isTrue();
        assertThat(mapped.values().get("finance.revenue").isNull()).isTrue();
    }

    @Test
    void default_applies_when_the_value_is_absent_or_null_but_not_when_present() {
        assertThat(mapper.toShard(account("{\"Name\": \"Acme\"}")).values().get("rating").textValue()).isEqualTo("unknown");
        assertThat(mapper.toShard(account("{\"Name\": \"Acme\", \"Rating\": null}")).values().get("rating").textValue()).isEqualTo("unknown");
        assertThat(mapper.toShard(account("{\"Name\": \"Acme\", \"Rating\": \"Cold\"}")).values().get("rating").textValue()).isEqualTo("cold");
    }

    @Test
    void default_is_held_in_canonical_form() {
        RecordMapper withDefault = new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("Score__c", "score", FieldType.NUMBER).withDefault(TextNode.valueOf("1.50")))));

        assertThat(SyncJson.write(withDefault.toShard(account("{}")).values())).isEqualTo("{\"score\":1.5}");
    }

    @Test
    void required_value_missing_fails_the_record_naming_the_field() {
        assertThatThrownBy(() -> mapper.toShard(account("{\"Rating\": \"Hot\"}")))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e.field()).isEqualTo("Name");
                    assertThat(e).hasMessage("Name: a value is required but the record has none");
                });
        assertThatThrownBy(() -> mapper.toShard(account("{\"Name\": null}"))).isInstanceOf(SyncException.Validation.class);
    }

    @Test
    void blank_text_counts_as_missing_for_a_required_non_string_field() {
        RecordMapper required = new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("NumberOfEmployees", "employees", FieldType.INTEGER).asRequired())));

        assertThatThrownBy(() -> required.toShard(account("{\"NumberOfEmployees\": \" \"}")))
                .isInstanceOf(SyncException.Validation.class)
                .hasMessage("NumberOfEmployees: a value is required but the record has none");
    }

    @Test
    void bad_value_fails_the_record_with_a_message_naming_field_and_value() {
        assertThatThrownBy(() -> mapper.toShard(account("{\"Name\": \"Acme\", \"AnnualRevenue\": \"abc\"}")))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e).hasMessage("AnnualRevenue: 'abc' is not a number");
                    assertThat(e.field()).isEqualTo("AnnualRevenue");
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void a_failed_record_does_not_affect_the_next_one() {
        ExternalRecord bad = account("{\"Name\": \"Bad\", \"IsPartner__c\": \"maybe\"}");
        ExternalRecord good = account("{\"Name\": \"Good\", \"IsPartner__c\": \"true\"}");

        assertThatThrownBy(() -> mapper.toShard(bad))
                .isInstanceOf(SyncException.Validation.class)
                .hasMessage("IsPartner__c: 'maybe' is not a boolean (expected true, false, 1 or 0)");
        assertThat(mapper.toShard(good).values().get("partner").booleanValue()).isTrue();
    }

    @Test
    void scalar_where_a_related_object_belongs_fails_the_record_naming_the_path() {
        assertThatThrownBy(() -> mapper.toShard(account("{\"Name\": \"Acme\", \"Owner\": \"005\"}")))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Owner.Name"))
                .hasMessageStartingWith("Owner.Name: 'Owner' holds '005', not an object");
    }

    @Test
    void tombstones_are_not_mapped() {
        ExternalRecord tombstone = ExternalRecord.tombstone("Account", "001000000000001AAA", Instant.parse("2013-05-07T22:07:19Z"));

        assertThatThrownBy(() -> mapper.toShard(tombstone))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Account/001000000000001AAA is a deletion");
    }

    @Test
    void value_map_translates_picklist_values_both_ways() {
        assertThat(mapper.toShard(account("{\"Name\": \"A\", \"Rating\": \"Warm\"}")).values().get("rating").textValue()).isEqualTo("warm");

        ObjectNode external = mapper.toExternal(object("{\"rating\": \"warm\"}"), List.of());

        assertThat(external).isEqualTo(object("{\"Rating\": \"Warm\"}"));
    }

    @Test
    void values_missing_from_the_value_map_pass_through_both_ways() {
        assertThat(mapper.toShard(account("{\"Name\": \"A\", \"Rating\": \"Lukewarm\"}")).values().get("rating").textValue())
                .isEqualTo("Lukewarm");
        assertThat(mapper.toExternal(object("{\"rating\": \"tepid\"}"), List.of())).isEqualTo(object("{\"Rating\": \"tepid\"}"));
    }

    @Test
    void several_external_values_for_one_shard_value_write_back_the_first_in_code_unit_order() {
        RecordMapper manyToOne = new RecordMapper(EntityMapping.of("Lead", "lead", List.of(
                FieldMapping.of("Status", "status").withValueMap(Map.of("Open - New", "open", "Open", "open", "Working", "open")))));

        assertThat(manyToOne.toShard(ExternalRecord.of("Lead", "1", object("{\"Status\": \"Working\"}"), null, null)).values().get("status").textValue())
                .isEqualTo("open");
        assertThat(manyToOne.toExternal(object("{\"status\": \"open\"}"), List.of())).isEqualTo(object("{\"Status\": \"Open\"}"));
    }

    @Test
    void value_map_converts_to_the_field_type() {
        RecordMapper yesNo = new RecordMapper(EntityMapping.of("Contact", "person", List.of(
                FieldMapping.of("DoNotCall", "doNotCall", FieldType.BOOLEAN).withValueMap(Map.of("Yes", "true", "No", "false")))));

        assertThat(yesNo.toShard(ExternalRecord.of("Contact", "1", object("{\"DoNotCall\": \"Yes\"}"), null, null)).values().get("doNotCall").isBoolean())
                .isTrue();
        assertThat(yesNo.toShard(ExternalRecord.of("Contact", "1", object("{\"DoNotCall\": true}"), null, null)).values().get("doNotCall").booleanValue())
                .isTrue();
        assertThat(yesNo.toExternal(object("{\"doNotCall\": false}"), List.of())).isEqualTo(object("{\"DoNotCall\": \"No\"}"));
    }

    @Test
    void dataverse_choice_values_map_to_labels_and_back_to_numbers() {
        RecordMapper choice = new RecordMapper(EntityMapping.of("account", "company", List.of(
                FieldMapping.of("industrycode", "industry").withFormat("number")
                        .withValueMap(Map.of("1", "accounting", "2", "agriculture")))));

        ObjectNode values = choice.toShard(ExternalRecord.of("account", "1", object("{\"industrycode\": 2}"), null, null)).values();

        assertThat(values).isEqualTo(object("{\"industry\": \"agriculture\"}"));
        assertThat(SyncJson.write(choice.toExternal(values, List.of()))).isEqualTo("{\"industrycode\":2}");
    }

    @Test
    void write_back_is_restricted_to_the_named_shard_fields() {
        ObjectNode flat = object("{\"name\": \"Acme\", \"employees\": 7, \"rating\": \"cold\", \"tier\": \"Gold\"}");

        ObjectNode external = mapper.toExternal(flat, Set.of("employees", "tier", "finance.revenue"));

        assertThat(SyncJson.write(external)).isEqualTo("{\"NumberOfEmployees\":7,\"Tier__c\":\"Gold\"}");
    }

    @Test
    void write_back_skips_absent_values_and_sends_null_to_clear() {
        ObjectNode external = mapper.toExternal(object("{\"employees\": null}"), List.of());

        assertThat(SyncJson.write(external)).isEqualTo("{\"NumberOfEmployees\":null}");
    }

    @Test
    void write_back_converts_to_the_wire_format() {
        ObjectNode external = mapper.toExternal(object("{\"lastActivity\": \"2013-05-19T10:00:00Z\", \"partner\": \"true\", \"employees\": \"12\"}"),
                List.of());

        assertThat(SyncJson.write(external)).isEqualTo("{\"NumberOfEmployees\":12,\"IsPartner__c\":true,\"LastActivityDate\":\"2013-05-19\"}");
    }

    @Test
    void bad_value_on_write_back_fails_naming_the_shard_field_and_value() {
        assertThatThrownBy(() -> mapper.toExternal(object("{\"employees\": \"many\"}"), List.of()))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> {
                    assertThat(e).hasMessage("employees: 'many' is not an integer");
                    assertThat(e.field()).isEqualTo("employees");
                });
    }

    @Test
    void apply_to_writes_dotted_paths_and_keeps_unmapped_keys() {
        ObjectNode data = object("{\"name\": \"Old\", \"notes\": \"keep me\", \"finance\": {\"currency\": \"EUR\"}}");
        ObjectNode flat = object("{\"name\": \"Acme\", \"finance.revenue\": 12.5, \"owner\": null}");

        ObjectNode result = mapper.applyTo(data, flat);

        assertThat(result).isEqualTo(object(
                "{\"name\": \"Acme\", \"notes\": \"keep me\", \"finance\": {\"currency\": \"EUR\", \"revenue\": 12.5}, \"owner\": null}"));
    }

    @Test
    void apply_to_never_mutates_its_inputs() {
        ObjectNode data = object("{\"name\": \"Old\", \"finance\": {\"currency\": \"EUR\"}}");
        ObjectNode flat = object("{\"name\": \"Acme\", \"finance.revenue\": 12.5, \"extra\": {\"a\": [1]}}");
        ObjectNode dataBefore = data.deepCopy();
        ObjectNode flatBefore = flat.deepCopy();

        ObjectNode result = mapper.applyTo(data, flat);
        ((ObjectNode) result.get("extra")).put("b", 2);
        ((ObjectNode) result.get("finance")).put("currency", "USD");

        assertThat(data).isEqualTo(dataBefore);
        assertThat(flat).isEqualTo(flatBefore);
    }

    @Test
    void apply_to_starts_a_new_document_when_there_is_none() {
        assertThat(mapper.applyTo(null, object("{\"finance.revenue\": 1}"))).isEqualTo(object("{\"finance\": {\"revenue\": 1}}"));
    }

    @Test
    void apply_to_refuses_to_overwrite_a_scalar_holding_a_mapped_object_path() {
        ObjectNode data = object("{\"finance\": \"n/a\"}");

        assertThatThrownBy(() -> mapper.applyTo(data, object("{\"finance.revenue\": 1}")))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("finance.revenue"))
                .hasMessageStartingWith("finance.revenue: 'finance' holds 'n/a', not an object");
    }

    @Test
    void extract_reads_the_shape_to_shard_produces() {
        MappedValues mapped = mapper.toShard(account(FULL_ACCOUNT));
        ObjectNode data = mapper.applyTo(object("{\"notes\": \"x\"}"), mapped.values());

        ObjectNode extracted = mapper.extract(data);

        assertThat(extracted).isEqualTo(mapped.values());
        assertThat(RecordMapper.hash(extracted)).isEqualTo(mapped.hash());
        assertThat(keys(extracted)).containsExactlyElementsOf(keys(mapped.values()));
    }

    @Test
    void extract_reports_absent_fields_as_null_and_canonicalises_hand_edited_values() {
        ObjectNode data = object("{\"finance\": {\"revenue\": \"12.50\"}, \"modifiedAt\": \"2013-05-20T22:49:32+02:00\", \"employees\": \"lots\"}");

        ObjectNode extracted = mapper.extract(data);

        assertThat(SyncJson.write(extracted)).isEqualTo("{\"name\":null,\"finance.revenue\":12.5,\"employees\":\"lots\",\"rating\":null,"
                + "\"owner\":null,\"partner\":null,\"lastActivity\":null,\"modifiedAt\":\"2013-05-20T20:49:32.000Z\"}");
    }

    @Test
    void extract_outbound_reads_the_fields_write_back_can_send() {
        ObjectNode data = object("{\"name\": \"Acme\", \"tier\": \"Gold\", \"finance\": {\"revenue\": 5}}");

        ObjectNode values = mapper.extractOutbound(data);

        assertThat(keys(values)).containsExactly("name", "employees", "rating", "partner", "lastActivity", "tier");
        assertThat(mapper.toExternal(values, Set.of("name", "tier"))).isEqualTo(object("{\"Name\": \"Acme\", \"Tier__c\": \"Gold\"}"));
    }

    @Test
    void two_inbound_mappings_to_one_shard_field_are_a_configuration_error() {
        EntityMapping clash = EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("Name", "name"), FieldMapping.of("LegalName__c", "name")));

        assertThatThrownBy(() -> new RecordMapper(clash))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessage("entity mapping Account -> company, field LegalName__c -> name: shard field 'name' is already written by the inbound "
                        + "mapping of 'Name'");
    }

    @Test
    void overlapping_inbound_shard_paths_are_a_configuration_error() {
        EntityMapping clash = EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("BillingAddress", "address", FieldType.JSON), FieldMapping.of("BillingCity", "address.city")));

        assertThatThrownBy(() -> new RecordMapper(clash)).isInstanceOf(SyncException.Configuration.class).hasMessageContaining("overlaps 'address'");
    }

    @Test
    void two_outbound_mappings_to_one_external_field_are_a_configuration_error() {
        EntityMapping clash = EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("Name", "name"), FieldMapping.of("Name", "displayName").withDirection(FieldDirection.OUT)));

        assertThatThrownBy(() -> new RecordMapper(clash))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageContaining("external field 'Name' is already written back from shard field 'name'");
    }

    @Test
    void one_external_field_may_feed_several_shard_fields_inbound() {
        RecordMapper fanOut = new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("Name", "name"), FieldMapping.of("Name", "displayName").withDirection(FieldDirection.IN))));

        assertThat(fanOut.toShard(account("{\"Name\": \"Acme\"}")).values()).isEqualTo(object("{\"name\": \"Acme\", \"displayName\": \"Acme\"}"));
    }

    @Test
    void invalid_format_default_or_value_map_fail_when_the_mapping_is_compiled() {
        assertThatThrownBy(() -> new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("CreatedDate", "created", FieldType.DATETIME).withFormat("epoch_milis")))))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageStartingWith("entity mapping Account -> company, field CreatedDate -> created: format 'epoch_milis' is neither");
        assertThatThrownBy(() -> new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("NumberOfEmployees", "employees", FieldType.INTEGER).withDefault(TextNode.valueOf("some"))))))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageEndingWith("default: 'some' is not an integer");
        assertThatThrownBy(() -> new RecordMapper(EntityMapping.of("Account", "company", List.of(
                FieldMapping.of("IsPartner__c", "partner", FieldType.BOOLEAN).withValueMap(Map.of("Y", "yes"))))))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageEndingWith("valueMap entry 'Y': 'yes' is not a boolean (expected true, false, 1 or 0)");
        assertThatThrownBy(() -> new RecordMapper(EntityMapping.of("Account", "company", List.of(FieldMapping.of("Owner..Name", "owner")))))
                .isInstanceOf(SyncException.Configuration.class)
                .hasMessageEndingWith("field path 'Owner..Name' has an empty segment");
    }

    @Test
    void mapping_read_from_the_seed_document_shape_compiles_and_maps() {
        EntityMapping seed = SyncJson.read("""
                {"externalEntity": "Account", "shardTypeId": "company", "fieldMappings": [
                  {"externalField": "Name", "shardField": "name", "direction": "both", "type": "string", "required": true},
                  {"externalField": "AnnualRevenue", "shardField": "finance.revenue", "direction": "in", "type": "number"},
                  {"externalField": "Rating", "shardField": "rating", "direction": "both", "type": "string",
                   "valueMap": {"Hot": "hot", "Cold": "cold"}, "default": "unknown"},
                  {"externalField": "CreatedDate", "shardField": "createdAt", "direction": "in", "type": "datetime", "format": "salesforce",
                   "default": null}
                ]}
                """, EntityMapping.class);

        MappedValues mapped = new RecordMapper(seed).toShard(account("{\"Name\": \"Acme\", \"AnnualRevenue\": 10}"));

        assertThat(SyncJson.write(mapped.values()))
                .isEqualTo("{\"name\":\"Acme\",\"finance.revenue\":10,\"rating\":\"unknown\",\"createdAt\":null}");
    }

    @Test
    void present_fields_are_converted_like_a_full_record_and_absent_ones_are_left_out() {
        ObjectNode partial = object("{\"Rating\": \"Hot\", \"NumberOfEmployees\": \"42\", \"Tier__c\": \"Gold\"}");

        ObjectNode values = mapper.toShardPresent(partial);

        assertThat(keys(values)).containsExactly("employees", "rating");
        assertThat(values.get("rating").asText()).isEqualTo("hot");
        assertThat(values.get("employees").intValue()).isEqualTo(42);
    }

    @Test
    void a_present_null_takes_the_default_or_fails_a_required_field() {
        assertThat(mapper.toShardPresent(object("{\"Rating\": null}")).get("rating").asText()).isEqualTo("unknown");

        assertThatThrownBy(() -> mapper.toShardPresent(object("{\"Name\": null}")))
                .isInstanceOfSatisfying(SyncException.Validation.class, e -> assertThat(e.field()).isEqualTo("Name"));
    }

    @Test
    void outbound_shard_fields_leave_out_in_only_and_nested_mappings() {
        assertThat(mapper.outboundShardFields())
                .containsExactly("name", "employees", "rating", "partner", "lastActivity", "tier");
    }
}
