package com.castiel.sync.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceDocTest {

    private static final String DOC = "# Performance\n\nHand-written intro.\n\n" + PerformanceDoc.BEGIN + "\nold table\n" + PerformanceDoc.END
            + "\n\n## Analysis\n\nHand-written analysis.\n";

    @Test
    void only_the_text_between_the_markers_is_replaced() {
        String out = PerformanceDoc.splice(DOC, "new table");

        assertThat(out).startsWith("# Performance\n\nHand-written intro.\n\n" + PerformanceDoc.BEGIN)
                .contains("new table").doesNotContain("old table")
                .endsWith(PerformanceDoc.END + "\n\n## Analysis\n\nHand-written analysis.\n");
    }

    @Test
    void a_document_without_markers_gets_the_section_appended() {
        String out = PerformanceDoc.splice("# Performance\n", "table");

        assertThat(out).isEqualTo("# Performance\n\n" + PerformanceDoc.BEGIN + "\n\ntable\n\n" + PerformanceDoc.END + "\n");
    }

    @Test
    void splicing_twice_gives_the_same_document() {
        String once = PerformanceDoc.splice(DOC, "table");

        assertThat(PerformanceDoc.splice(once, "table")).isEqualTo(once);
    }

    @Test
    void markers_in_the_wrong_order_are_refused() {
        assertThatThrownBy(() -> PerformanceDoc.splice(PerformanceDoc.END + "\n" + PerformanceDoc.BEGIN, "t"))
                .hasMessageContaining("markers");
    }

    @Test
    void rewrite_keeps_the_hand_written_text_of_the_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("PERFORMANCE.md");
        Files.writeString(file, DOC, StandardCharsets.UTF_8);

        PerformanceDoc.rewrite(file, "fresh");

        assertThat(Files.readString(file)).contains("Hand-written intro.", "Hand-written analysis.", "fresh").doesNotContain("old table");
    }
}
