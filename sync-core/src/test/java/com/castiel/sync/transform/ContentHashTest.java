package com.castiel.sync.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    private static ObjectNode object(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    @Test
    void hash_ignores_key_order_at_every_level() {
        assertThat(RecordMapper.hash(object("{\"a\": 1, \"b\": {\"x\": 1, \"y\": [1, 2]}}")))
                .isEqualTo(RecordMapper.hash(object("{\"b\": {\"y\": [1, 2], \"x\": 1}, \"a\": 1}")));
    }

    @Test
    void numerically_equal_numbers_hash_alike_whatever_their_node_type() {
        String one = RecordMapper.hash(SyncJson.object().set("n", IntNode.valueOf(1)));

        assertThat(RecordMapper.hash(SyncJson.object().set("n", LongNode.valueOf(1)))).isEqualTo(one);
        assertThat(RecordMapper.hash(SyncJson.object().set("n", DoubleNode.valueOf(1.0)))).isEqualTo(one);
        assertThat(RecordMapper.hash(SyncJson.object().set("n", DecimalNode.valueOf(new BigDecimal("1.00"))))).isEqualTo(one);
        assertThat(RecordMapper.hash(object("{\"n\": 100}"))).isEqualTo(RecordMapper.hash(object("{\"n\": 1.0E2}")));
    }

    @Test
    void text_and_numbers_and_null_hash_differently() {
        assertThat(RecordMapper.hash(object("{\"n\": \"1\"}"))).isNotEqualTo(RecordMapper.hash(object("{\"n\": 1}")));
        assertThat(RecordMapper.hash(object("{\"n\": null}"))).isNotEqualTo(RecordMapper.hash(object("{\"n\": \"null\"}")));
        assertThat(RecordMapper.hash(object("{\"n\": null}"))).isNotEqualTo(RecordMapper.hash(object("{}")));
    }

    @Test
    void any_changed_value_changes_the_hash() {
        assertThat(RecordMapper.hash(object("{\"n\": 1.5}"))).isNotEqualTo(RecordMapper.hash(object("{\"n\": 1.50001}")));
        assertThat(RecordMapper.hash(object("{\"s\": \"a\\\"b\"}"))).isNotEqualTo(RecordMapper.hash(object("{\"s\": \"a\\\\b\"}")));
    }

    /**
     * Pins the canonical text and its digest, computed independently
     * ({@code sha256('{"a":"x","b":1}')}), so a change to the canonical form, which would make
     * every stored hash look changed, cannot slip in unnoticed.
     */
    @Test
    void hash_is_sha256_of_a_fixed_canonical_text() {
        assertThat(RecordMapper.hash(object("{\"b\": 1.0, \"a\": \"x\"}")))
                .isEqualTo("cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246");
        assertThat(RecordMapper.hash(object("{\"tags\": [true, null, {\"k\": 0.10}], \"name\": \"Ac\\\"me\", \"amount\": 1500}")))
                .isEqualTo("9b3a9c551a2c87df48ae8f416d248655c758bb0f9cab63bbcbab13f06ef0be8a");
    }

    @Test
    void same_value_compares_content_not_node_types() {
        assertThat(RecordMapper.sameValue(IntNode.valueOf(12), DecimalNode.valueOf(new BigDecimal("12.000")))).isTrue();
        assertThat(RecordMapper.sameValue(object("{\"a\": 1, \"b\": 2}"), object("{\"b\": 2.0, \"a\": 1}"))).isTrue();
        assertThat(RecordMapper.sameValue(null, NullNode.instance)).isTrue();
        assertThat(RecordMapper.sameValue(TextNode.valueOf("12"), IntNode.valueOf(12))).isFalse();
    }
}
