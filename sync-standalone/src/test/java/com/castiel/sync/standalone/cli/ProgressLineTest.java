package com.castiel.sync.standalone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    @Test
    void onATerminalItRedrawsOneLineWithPagesRecordsAndRate() {
        StringWriter err = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(err), true);

        line.afterPage(3, 6000);
        line.finish();

        assertThat(err.toString()).startsWith("\r  3 pages  6,000 records  ").contains("records/s").endsWith(System.lineSeparator());
    }

    @Test
    void offATerminalItPrintsNothing() {
        StringWriter err = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(err), false);

        line.afterPage(3, 6000);
        line.finish();

        assertThat(err.toString()).isEmpty();
    }
}
