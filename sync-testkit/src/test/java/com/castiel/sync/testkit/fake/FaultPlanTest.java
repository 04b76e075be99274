package com.castiel.sync.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static FakeRequest get(String path) {
        return new FakeRequest("GET", path, Map.of(), Map.of(), null, Map.of(), Instant.EPOCH);
    }

    @Test
    void scriptedFaultsHitExactlyTheNextMatchingRequests() {
        FaultPlan plan = new FaultPlan().next(2, RequestMatcher.pathStartsWith("/v1/"), Fault.serviceUnavailable());
        assertThat(plan.decide(get("/oauth/token"))).isEmpty();
        assertThat(plan.decide(get("/v1/a"))).containsInstanceOf(Fault.ServiceUnavailable.class);
        assertThat(plan.decide(get("/v1/b"))).containsInstanceOf(Fault.ServiceUnavailable.class);
        assertThat(plan.decide(get("/v1/c"))).isEmpty();
        assertThat(plan.pending()).isZero();
        assertThat(plan.injected()).hasSize(2);
    }

    @Test
    void rulesAreConsultedInTheOrderTheyWereAdded() {
        FaultPlan plan = new FaultPlan()
                .next(1, RequestMatcher.any(), Fault.rateLimited(1))
                .next(1, RequestMatcher.any(), Fault.connectionReset());
        assertThat(plan.decide(get("/x"))).containsInstanceOf(Fault.RateLimited.class);
        assertThat(plan.decide(get("/x"))).containsInstanceOf(Fault.ConnectionReset.class);
    }

    @Test
    void randomFaultsReplayIdenticallyWithTheSameSeed() {
        long seed = 42;
        assertThat(draw(seed)).isEqualTo(draw(seed)).contains(true, false);
    }

    @Test
    void clearRemovesPendingRules() {
        FaultPlan plan = new FaultPlan().next(3, RequestMatcher.any(), Fault.malformedJson());
        plan.clear();
        assertThat(plan.decide(get("/x"))).isEmpty();
    }

    private static List<Boolean> draw(long seed) {
        FaultPlan plan = new FaultPlan().randomly(0.5, seed, RequestMatcher.any(), Fault.serviceUnavailable());
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Optional<Fault> f = plan.decide(get("/x"));
            out.add(f.isPresent());
        }
        return out;
    }
}
