package com.castiel.sync.azure.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JobBodiesTest {

    private static final String JOB = "{\"integrationId\":\"int-1\",\"tenantId\":\"t\",\"jobType\":\"incremental\"}";

    private static String unwrap(String body) {
        return new String(JobBodies.unwrap(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void aRawJobIsUnchanged() {
        assertThat(unwrap(JOB)).isEqualTo(JOB);
    }

    @Test
    void anEventGridEventYieldsItsData() {
        String event = "{\"id\":\"e\",\"eventType\":\"Castiel.Integration.SyncScheduled\",\"subject\":\"/s\",\"dataVersion\":\"1.0\","
                + "\"eventTime\":\"2026-11-28T10:00:00Z\",\"data\":" + JOB + "}";

        assertThat(unwrap(event)).isEqualTo(JOB);
    }

    @Test
    void aOneEventArrayIsUnwrappedToo() {
        assertThat(unwrap("[{\"eventType\":\"x\",\"dataVersion\":\"1.0\",\"data\":" + JOB + "}]")).isEqualTo(JOB);
    }

    @Test
    void aCloudEventYieldsItsData() {
        assertThat(unwrap("{\"specversion\":\"1.0\",\"type\":\"x\",\"source\":\"/s\",\"id\":\"1\",\"data\":" + JOB + "}")).isEqualTo(JOB);
    }

    @Test
    void dataSentAsAJsonStringIsTheJobText() {
        String quoted = JOB.replace("\"", "\\\"");
        assertThat(unwrap("{\"eventType\":\"x\",\"dataVersion\":\"1.0\",\"data\":\"" + quoted + "\"}")).isEqualTo(JOB);
    }

    @Test
    void aJobThatHappensToHaveADataFieldIsNotMistakenForAnEnvelope() {
        String job = "{\"jobType\":\"webhook\",\"data\":{\"x\":1}}";

        assertThat(unwrap(job)).isEqualTo(job);
    }

    @Test
    void textThatIsNotJsonIsLeftForTheWorkerToReject() {
        assertThat(unwrap("not json")).isEqualTo("not json");
    }
}
