package com.castiel.sync.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestJournalTest {

    @Test
    void secretsAreRedactedButTheAuthSchemeStays() {
        RequestJournal journal = new RequestJournal();
        FakeRequest request = new FakeRequest("GET", "/v1/x",
                Map.of("access_token", List.of("at-secret"), "limit", List.of("5")),
                Map.of("Authorization", List.of("Bearer at-secret"), "X-Reference-Signature", List.of("v1=abc"), "If-Match", List.of("\"3\"")),
                null, Map.of(), Instant.EPOCH);

        JournalEntry e = journal.record(request, Instant.EPOCH, 0, 200, null);

        assertThat(e.header("authorization")).contains("Bearer " + RequestJournal.REDACTED);
        assertThat(e.header("x-reference-signature")).contains(RequestJournal.REDACTED);
        assertThat(e.header("if-match")).contains("\"3\"");
        assertThat(e.queryParam("access_token")).contains(RequestJournal.REDACTED);
        assertThat(e.queryParam("limit")).contains("5");
        assertThat(e.toString()).doesNotContain("at-secret");
    }

    @Test
    void keepsOnlyTheMostRecentEntriesButCountsAll() {
        RequestJournal journal = new RequestJournal(2);
        for (int i = 0; i < 3; i++) {
            journal.record(new FakeRequest("GET", "/" + i, null, null, null, null, Instant.EPOCH), Instant.EPOCH, 0, 200, null);
        }
        assertThat(journal.entries()).extracting(JournalEntry::path).containsExactly("/1", "/2");
        assertThat(journal.totalCount()).isEqualTo(3);
        assertThat(journal.count(RequestMatcher.pathStartsWith("/2"))).isEqualTo(1);
    }
}
