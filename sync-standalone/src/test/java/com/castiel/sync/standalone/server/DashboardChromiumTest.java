package com.castiel.sync.standalone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncJobMessage;
import com.castiel.sync.port.LockedMessage;
import com.castiel.sync.port.OutgoingMessage;
import com.castiel.sync.port.QueueSpec;
import com.castiel.sync.retry.QueuedJob;
import com.castiel.sync.standalone.support.ReferenceFixture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard rendered by a real browser (headless Chromium, Debian's {@code chromium};
 * {@code .ci/prepare-chromium} installs it). Skipped, with the reason printed, where it is absent.
 */
class DashboardChromiumTest {

    private static String chromium;

    @TempDir
    Path profile;

    private final ServerTestBed bed = new ServerTestBed();

    @BeforeAll
    static void findChromium() {
        chromium = findOnPath("chromium");
        if (chromium == null) {
            System.out.println("DashboardChromiumTest skipped: no 'chromium' on the PATH (run .ci/prepare-chromium to install it)");
        }
        assumeTrue(chromium != null, "chromium is not installed; run .ci/prepare-chromium");
    }

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void theDashboardShowsIntegrationsQueuesDeadLettersAndAlerts() throws Exception {
        for (int i = 0; i < 11; i++) {
            deadLetter("dl-" + i);
        }

        String dom = dumpDom(bed.uri("/").toString() + "#token=" + ServerTestBed.TOKEN);

        assertThat(dom).contains("data-state=\"loaded\"");
        assertThat(dom).contains("data-integration=\"" + ReferenceFixture.INTEGRATION + "\"").contains("Reference contacts");
        assertThat(dom).contains("data-queue=\"sync-inbound-webhook\"").contains("data-queue=\"sync-inbound-scheduled\"")
                .contains("data-queue=\"sync-outbound\"");
        assertThat(dom).contains("id=\"dead-letter-total\" class=\"count\">(11)").contains("record rejected");
        assertThat(dom).contains("data-alert=\"dead_letter_accumulation\"").contains("11 dead letters await review");
        assertThat(dom).doesNotContain(ServerTestBed.TOKEN);
    }

    @Test
    void withoutATokenTheDashboardAsksForOne() throws Exception {
        String dom = dumpDom(bed.uri("/").toString());

        assertThat(dom).contains("data-state=\"login\"").contains("Admin token");
        assertThat(dom).doesNotContain("data-integration=");
    }

    @Test
    void aWrongTokenIsRefusedAndTheLoginShown() throws Exception {
        String dom = dumpDom(bed.uri("/").toString() + "#token=not-the-right-token-123");

        assertThat(dom).contains("data-state=\"login\"").contains("The admin token was refused.");
    }

    private String dumpDom(String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", url));
        Path out = profile.resolve("dom.html");
        Path err = profile.resolve("chromium.log");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within 90 s");
            }
        } finally {
            p.destroyForcibly();
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(dom).as("chromium output (log: %s)", Files.exists(err) ? Files.readString(err) : "").isNotBlank();
        return dom;
    }

    private void deadLetter(String id) {
        SyncJobMessage job = new SyncJobMessage(bed.integration.id(), bed.integration.tenantId(), JobType.INCREMENTAL, "reference", null,
                List.of(), Instant.now(), 3, id, "test");
        QueuedJob q = QueuedJob.of(job);
        String queue = QueueSpec.INBOUND_SCHEDULED.name();
        bed.storage.queue().send(queue, new OutgoingMessage(id, null, q.toBytes(), id, null, null, q.properties()));
        LockedMessage m = bed.storage.queue().receive(queue, Duration.ZERO).orElseThrow();
        bed.storage.queue().deadLetter(m, "Validation", "record rejected");
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
