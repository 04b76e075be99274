package com.castiel.sync.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Table tests of every type and wire format in both directions. Columns hold JSON literals,
 * compared as serialized text so the exact canonical form counts (12, not 12.0); the format
 * column is empty for "no format".
 */
class ConversionsTest {

    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            string   |                       | "Acme"                            | "Acme"
            string   |                       | ""                                | ""
            string   |                       | 12                                | "12"
            string   |                       | 12.5                              | "12.5"
            string   |                       | true                              | "true"
            string   | number                | 100000000                         | "100000000"
            number   |                       | 12                                | 12
            number   |                       | 12.5                              | 12.5
            number   |                       | 12.0                              | 12
            number   |                       | 0.1                               | 0.1
            number   |                       | -0.0                              | 0
            number   |                       | 1e3                               | 1000
            number   |                       | "12.50"                           | 12.5
            number   |                       | " 7 "                             | 7
            number   |                       | "  "                              | null
            number   |                       | "123456789012345678901234.5"      | 123456789012345678901234.5
            integer  |                       | 42                                | 42
            integer  |                       | 42.0                              | 42
            integer  |                       | "42"                              | 42
            integer  |                       | "-1e3"                            | -1000
            integer  |                       | 9223372036854775807               | 9223372036854775807
            integer  |                       | ""                                | null
            boolean  |                       | true                              | true
            boolean  |                       | false                             | false
            boolean  |                       | "true"                            | true
            boolean  |                       | "FALSE"                           | false
            boolean  |                       | 1                                 | true
            boolean  |                       | 0                                 | false
            boolean  |                       | ""                                | null
            date     |                       | "2013-05-20"                      | "2013-05-20"
            date     | salesforce            | "2013-05-20"                      | "2013-05-20"
            date     | date                  | "2013-05-20"                      | "2013-05-20"
            date     |                       | "2013-05-20T00:00:00Z"            | "2013-05-20"
            date     |                       | "2013-05-20T23:30:00-05:00"       | "2013-05-20"
            date     | epoch_millis          | 1369008000000                     | "2013-05-20"
            date     | epoch_millis          | "1369008000000"                   | "2013-05-20"
            date     | epoch_seconds         | 1369008000                        | "2013-05-20"
            date     | dd/MM/yyyy            | "20/05/2013"                      | "2013-05-20"
            date     |                       | ""                                | null
            datetime | salesforce            | "2013-05-20T20:49:32.000+0000"    | "2013-05-20T20:49:32.000Z"
            datetime |                       | "2013-05-20T20:49:32.000+0000"    | "2013-05-20T20:49:32.000Z"
            datetime | iso8601               | "2013-05-20T20:49:32Z"            | "2013-05-20T20:49:32.000Z"
            datetime |                       | "2013-05-20T22:49:32+02:00"       | "2013-05-20T20:49:32.000Z"
            datetime |                       | "2013-05-20T15:49:32.5-05:00"     | "2013-05-20T20:49:32.500Z"
            datetime |                       | "2013-05-20T20:49:32.1239999Z"    | "2013-05-20T20:49:32.123Z"
            datetime |                       | "2013-05-20T20:49:32,25+0130"     | "2013-05-20T19:19:32.250Z"
            datetime |                       | "2013-05-20t20:49z"               | "2013-05-20T20:49:00.000Z"
            datetime |                       | "2013-05-20"                      | "2013-05-20T00:00:00.000Z"
            datetime |                       | 1369082972000                     | "2013-05-20T20:49:32.000Z"
            datetime | epoch_millis          | 1369082972123                     | "2013-05-20T20:49:32.123Z"
            datetime | epoch_millis          | "1369082972123"                   | "2013-05-20T20:49:32.123Z"
            datetime | epoch_millis          | "2013-05-20T20:49:32Z"            | "2013-05-20T20:49:32.000Z"
            datetime | epoch_millis          | -1                                | "1969-12-31T23:59:59.999Z"
            datetime | epoch_seconds         | 1369082972                        | "2013-05-20T20:49:32.000Z"
            datetime | epoch_seconds         | "1369082972.25"                   | "2013-05-20T20:49:32.250Z"
            datetime | yyyy-MM-dd HH:mm:ss   | "2013-05-20 20:49:32"             | "2013-05-20T20:49:32.000Z"
            datetime | yyyy-MM-dd HH:mm:ssXXX | "2013-05-20 22:49:32+02:00"      | "2013-05-20T20:49:32.000Z"
            datetime | dd.MM.yyyy            | "20.05.2013"                      | "2013-05-20T00:00:00.000Z"
            datetime |                       | " "                               | null
            json     |                       | {"a":[1,{"b":null}]}              | {"a":[1,{"b":null}]}
            json     |                       | "text"                            | "text"
            """)
    void inbound_value_converts_to_the_canonical_shard_form(String type, String format, String wire, String shard) {
        ValueConverter converter = Conversions.forType(FieldType.fromWire(type), format);

        JsonNode result = converter.toShard(SyncJson.tree(wire));

        assertThat(SyncJson.write(result)).isEqualTo(shard);
    }

    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            string   |                       | "Acme"                       | "Acme"
            string   | number                | "100000000"                  | 100000000
            number   |                       | 12.5                         | 12.5
            number   |                       | "12.50"                      | 12.5
            number   |                       | 12.00                        | 12
            integer  |                       | "42"                         | 42
            boolean  |                       | "true"                       | true
            boolean  |                       | 0                            | false
            date     |                       | "2013-05-20"                 | "2013-05-20"
            date     | salesforce            | "2013-05-20"                 | "2013-05-20"
            date     | date                  | "2013-05-20"                 | "2013-05-20"
            date     | epoch_millis          | "2013-05-20"                 | 1369008000000
            date     | epoch_seconds         | "2013-05-20"                 | 1369008000
            date     | dd/MM/yyyy            | "2013-05-20"                 | "20/05/2013"
            datetime | salesforce            | "2013-05-20T20:49:32.123Z"   | "2013-05-20T20:49:32.123+0000"
            datetime | salesforce            | "2013-05-20T20:49:32Z"       | "2013-05-20T20:49:32.000+0000"
            datetime | salesforce            | "2013-05-20T22:49:32+02:00"  | "2013-05-20T20:49:32.000+0000"
            datetime |                       | "2013-05-20T20:49:32.123Z"   | "2013-05-20T20:49:32.123Z"
            datetime | iso8601               | "2013-05-20T20:49:32Z"       | "2013-05-20T20:49:32.000Z"
            datetime | epoch_millis          | "2013-05-20T20:49:32.123Z"   | 1369082972123
            datetime | epoch_seconds         | "2013-05-20T20:49:32.999Z"   | 1369082972
            datetime | epoch_seconds         | 1369082972000                | 1369082972
            datetime | yyyy-MM-dd HH:mm:ss   | "2013-05-20T20:49:32.000Z"   | "2013-05-20 20:49:32"
            datetime | yyyy-MM-dd'T'HH:mmXX  | "2013-05-20T20:49:32.000Z"   | "2013-05-20T20:49Z"
            json     |                       | {"a":[1]}                    | {"a":[1]}
            """)
    void shard_value_converts_to_the_wire_format(String type, String format, String shard, String wire) {
        ValueConverter converter = Conversions.forType(FieldType.fromWire(type), format);

        JsonNode result = converter.toExternal(converter.canonical(SyncJson.tree(shard)));

        assertThat(SyncJson.write(result)).isEqualTo(wire);
    }

    @ParameterizedTest(name = "{0} [{1}] {2}")
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            string   |               | {"a":1}                   | an object is not a string
            string   |               | [1]                       | an array is not a string
            number   |               | "abc"                     | 'abc' is not a number
            number   |               | true                      | true is not a number
            number   |               | "12,5"                    | '12,5' is not a number
            integer  |               | 12.5                      | 12.5 is not an integer
            integer  |               | "12.5"                    | '12.5' is not an integer
            integer  |               | 92233720368547758070      | 92233720368547758070 is out of range for an integer
            boolean  |               | "yes"                     | 'yes' is not a boolean (expected true, false, 1 or 0)
            boolean  |               | 2                         | 2 is not a boolean
            boolean  |               | "1"                       | '1' is not a boolean
            date     |               | "20/05/2013"              | '20/05/2013' is not a date
            date     |               | "2013-02-30"              | '2013-02-30' is not a date
            date     | dd/MM/yyyy    | "2013-05-20"              | '2013-05-20' does not match the format 'dd/MM/yyyy'
            datetime |               | "2013-05-20T20:49:32"     | '2013-05-20T20:49:32' has no UTC offset
            datetime |               | "yesterday"               | 'yesterday' is not a datetime
            datetime |               | "2013-13-01T00:00:00Z"    | '2013-13-01T00:00:00Z' is not a datetime
            datetime |               | "2013-05-20T24:00:00Z"    | '2013-05-20T24:00:00Z' is not a datetime
            datetime |               | "2013-05-20T20:49:32+19:00" | '2013-05-20T20:49:32+19:00' is not a datetime
            datetime |               | "1369082972000"           | '1369082972000' is not a datetime
            datetime |               | true                      | true is not a datetime
            datetime |               | 1.5                       | 1.5 is not a whole number of epoch milliseconds
            datetime | epoch_millis  | "12x"                     | '12x' is not a number of epoch milliseconds
            datetime | epoch_millis  | 999999999999999999        | 999999999999999999 ms since the epoch is outside the years 0000-9999
            """)
    void inbound_value_that_does_not_fit_is_refused_with_a_message_naming_it(String type, String format, String wire, String message) {
        ValueConverter converter = Conversions.forType(FieldType.fromWire(type), format);

        assertThatThrownBy(() -> converter.toShard(SyncJson.tree(wire)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void numbers_that_are_not_finite_are_refused() {
        ValueConverter number = Conversions.forType(FieldType.NUMBER, null);

        assertThatThrownBy(() -> number.toShard(DoubleNode.valueOf(Double.NaN))).hasMessage("NaN is not a finite number");
    }

    @Test
    void exact_decimals_keep_every_digit() {
        ValueConverter number = Conversions.forType(FieldType.NUMBER, null);

        JsonNode result = number.toShard(DecimalNode.valueOf(new BigDecimal("0.30000000000000000000001")));

        assertThat(result.decimalValue()).isEqualByComparingTo("0.30000000000000000000001");
    }

    @Test
    void integer_nodes_become_longs() {
        assertThat(Conversions.forType(FieldType.INTEGER, null).toShard(IntNode.valueOf(5)).isLong()).isTrue();
        assertThat(Conversions.forType(FieldType.NUMBER, null).toShard(IntNode.valueOf(5)).isLong()).isTrue();
    }

    @Test
    void text_kept_as_number_on_the_wire_refuses_text_that_is_not_one() {
        ValueConverter numeric = Conversions.forType(FieldType.STRING, "number");

        assertThatThrownBy(() -> numeric.toExternal(SyncJson.tree("\"hot\"")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("'hot' is not a number, which this field's format requires");
    }

    @Test
    void datetimes_outside_four_digit_years_cannot_be_written() {
        ValueConverter datetime = Conversions.forType(FieldType.DATETIME, "epoch_millis");

        assertThatThrownBy(() -> datetime.toShard(SyncJson.tree("253402300800000")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("outside the years 0000-9999");
        assertThat(datetime.toShard(SyncJson.tree("253402300799999"))).isEqualTo(SyncJson.tree("\"9999-12-31T23:59:59.999Z\""));
    }

    @Test
    void long_text_is_shortened_in_messages() {
        ValueConverter number = Conversions.forType(FieldType.NUMBER, null);
        String longText = "x".repeat(500);

        assertThatThrownBy(() -> number.toShard(SyncJson.tree("\"" + longText + "\"")))
                .hasMessage("'" + "x".repeat(80) + "…' (500 characters) is not a number");
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource(delimiter = '|', textBlock = """
            number   | iso8601      | does not apply to type number
            boolean  | 0/1          | does not apply to type boolean
            string   | iso8601      | does not apply to type string
            datetime | epoch_milis  | neither one of iso8601, salesforce, epoch_millis, epoch_seconds nor a valid DateTimeFormatter pattern
            datetime | date         | neither one of
            date     | HH:mm        | cannot write and read back a date
            """)
    void format_that_does_not_apply_is_refused_when_the_converter_is_built(String type, String format, String message) {
        assertThatThrownBy(() -> Conversions.forType(FieldType.fromWire(type), format))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void format_keywords_ignore_case() {
        ValueConverter converter = Conversions.forType(FieldType.DATETIME, "SalesForce");

        assertThat(converter.toExternal(SyncJson.tree("\"2013-05-20T20:49:32.000Z\"")).textValue())
                .isEqualTo("2013-05-20T20:49:32.000+0000");
    }
}
