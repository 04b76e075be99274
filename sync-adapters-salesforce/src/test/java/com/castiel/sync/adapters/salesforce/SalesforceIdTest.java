package com.castiel.sync.adapters.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SalesforceIdTest {

    /** 18-character ids taken from Salesforce documentation and recorded responses. */
    private static final List<String> DOCUMENTED = List.of("a00D0000008pQRAIA2", "003RM0000068xVCYAY",
            "04le0000004lnFFAAY", "00De0000000pmu1EAA", "a29e0000000K4P0AAK", "a28e00000002hMtAAI", "003q000000KvQ1tAAF");

    @Test
    void the_first_15_characters_of_documented_ids_give_back_their_suffix() {
        assertThat(DOCUMENTED).allSatisfy(id -> assertThat(SalesforceId.normalise(id.substring(0, 15))).contains(id));
    }

    @Test
    void an_18_character_id_stays_as_it_is() {
        assertThat(DOCUMENTED).allSatisfy(id -> assertThat(SalesforceId.normalise(id)).contains(id));
    }

    @Test
    void the_malformed_id_of_the_error_example_has_a_suffix_that_does_not_match_its_base() {
        // the "id value of incorrect type" example of the REST error page
        assertThat(SalesforceId.normalise("001900K0001pPuOAAU")).contains("001900K0001pPuOACU");
    }

    @Test
    void a_suffix_typed_in_the_wrong_case_is_repaired() {
        assertThat(SalesforceId.normalise("a00D0000008pQRAia2")).contains("a00D0000008pQRAIA2");
    }

    @Test
    void ids_differing_only_in_case_get_different_suffixes() {
        assertThat(SalesforceId.normalise("001d000000irt53")).isNotEqualTo(SalesforceId.normalise("001D000000IRt53"));
    }

    @Test
    void anything_else_is_not_an_id() {
        assertThat(SalesforceId.normalise(null)).isEmpty();
        assertThat(SalesforceId.normalise("")).isEmpty();
        assertThat(SalesforceId.normalise("001D000000IRt5")).isEmpty();
        assertThat(SalesforceId.normalise("001D000000IRt53IA")).isEmpty();
        assertThat(SalesforceId.normalise("001D000000IRt5-")).isEmpty();
        assertThat(SalesforceId.normalise("001D000000IRt5é")).isEmpty();
    }
}
