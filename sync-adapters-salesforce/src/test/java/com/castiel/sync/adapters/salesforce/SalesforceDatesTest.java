package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SalesforceDatesTest {

    private static final DateTimeFormatter JSON_FORM = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

    @Test
    void the_fast_json_form_agrees_with_the_general_parser_on_random_instants_and_offsets() {
        long seed = 20261128L;
        Random random = new Random(seed);
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L, 8_000_000_000_000L));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String text = OffsetDateTime.ofInstant(at, offset).format(JSON_FORM);

            assertThat(SalesforceDates.parseJsonForm(text)).as("%s (seed %d)", text, seed).isEqualTo(at);
            assertThat(SalesforceDates.parse(text)).as(text).contains(at);
        }
    }

    @Test
    void the_forms_salesforce_writes_parse_to_the_same_instant() {
        Instant expected = Instant.parse("2013-05-20T20:49:32Z");

        assertThat(SalesforceDates.parse("2013-05-20T20:49:32.000+0000")).contains(expected);
        assertThat(SalesforceDates.parse("2013-05-20T22:49:32.000+0200")).contains(expected);
        assertThat(SalesforceDates.parse("2013-05-20T20:49:32.000Z")).contains(expected);
        assertThat(SalesforceDates.parse("2013-05-20T20:49:32Z")).contains(expected);
        assertThat(SalesforceDates.parse(" 2013-05-20T15:49:32.000-05:00 ")).contains(expected);
    }

    @Test
    void out_of_range_fields_and_wrong_shapes_are_not_date_times() {
        assertThat(SalesforceDates.parse("2013-13-20T20:49:32.000+0000")).isEmpty();
        assertThat(SalesforceDates.parse("2013-04-31T20:49:32.000+0000")).isEmpty();
        assertThat(SalesforceDates.parse("2013-05-20T24:49:32.000+0000")).isEmpty();
        assertThat(SalesforceDates.parse("2013-05-20T20:60:32.000+0000")).isEmpty();
        assertThat(SalesforceDates.parse("2013-05-20T20:49:32.000+1900")).isEmpty();
        assertThat(SalesforceDates.parse("2013-05-2OT20:49:32.000+0000")).isEmpty();
        assertThat(SalesforceDates.parse("2013-05-20T20:49:32.000")).as("an offset is required").isEmpty();
        assertThat(SalesforceDates.parse("2013-05-20")).isEmpty();
        assertThat(SalesforceDates.parse("")).isEmpty();
        assertThat(SalesforceDates.parse(null)).isEmpty();
    }
}
