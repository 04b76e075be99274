package com.castiel.sync.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.castiel.sync.model.SyncJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

    private static ObjectNode object(String json) {
        return (ObjectNode) SyncJson.tree(json);
    }

    @Test
    void nested_path_reads_a_field_of_a_related_object() {
        ObjectNode record = object("{\"Owner\": {\"attributes\": {\"type\": \"User\"}, \"Name\": \"Ada\"}}");

        assertThat(FieldPath.of("Owner.Name").get(record)).isEqualTo(TextNode.valueOf("Ada"));
    }

    @Test
    void null_object_on_the_way_reads_as_null() {
        ObjectNode record = object("{\"Owner\": null}");

        assertThat(FieldPath.of("Owner.Name").get(record).isNull()).isTrue();
    }

    @Test
    void absent_key_on_the_way_reads_as_absent() {
        assertThat(FieldPath.of("Owner.Name").get(object("{}"))).isNull();
        assertThat(FieldPath.of("Name").get(object("{}"))).isNull();
    }

    @Test
    void scalar_on_the_way_is_refused_naming_where_the_path_broke() {
        ObjectNode record = object("{\"Owner\": \"005000000000001\"}");

        assertThatThrownBy(() -> FieldPath.of("Owner.Name").get(record))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("'Owner' holds '005000000000001', not an object, so 'Owner.Name' cannot be followed");
    }

    @Test
    void set_creates_missing_objects_and_keeps_siblings() {
        ObjectNode doc = object("{\"finance\": {\"currency\": \"EUR\"}, \"name\": \"Acme\"}");

        FieldPath.of("finance.revenue.total").set(doc, TextNode.valueOf("x"));

        assertThat(doc).isEqualTo(object("{\"finance\": {\"currency\": \"EUR\", \"revenue\": {\"total\": \"x\"}}, \"name\": \"Acme\"}"));
    }

    @Test
    void set_replaces_a_null_object_on_the_way() {
        ObjectNode doc = object("{\"finance\": null}");

        FieldPath.of("finance.revenue").set(doc, TextNode.valueOf("x"));

        assertThat(doc).isEqualTo(object("{\"finance\": {\"revenue\": \"x\"}}"));
    }

    @Test
    void set_refuses_to_overwrite_a_scalar_on_the_way() {
        ObjectNode doc = object("{\"finance\": \"n/a\"}");

        assertThatThrownBy(() -> FieldPath.of("finance.revenue").set(doc, TextNode.valueOf("x")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("'finance' holds 'n/a', not an object");
        assertThat(doc).isEqualTo(object("{\"finance\": \"n/a\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".a", "a."})
    void malformed_paths_are_refused(String path) {
        assertThatThrownBy(() -> FieldPath.of(path)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty segment");
    }

    @Test
    void containment_is_by_whole_segments() {
        assertThat(FieldPath.of("a").contains(FieldPath.of("a.b"))).isTrue();
        assertThat(FieldPath.of("a").contains(FieldPath.of("ab.c"))).isFalse();
        assertThat(FieldPath.of("a.b").contains(FieldPath.of("a.b"))).isFalse();
    }
}
