package com.castiel.sync.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.RateLimitSettings;
import com.castiel.sync.model.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderLimitsTest {

    @Test
    void the_seed_limits_are_the_defaults() {
        assertThat(ProviderLimitDefaults.forProvider("salesforce").allowances())
                .containsExactlyInAnyOrder(RequestAllowance.perSecond(25), RequestAllowance.perDay(100_000));
        assertThat(ProviderLimitDefaults.forProvider("dynamics").allowances())
                .contains(RequestAllowance.perSecond(60), RequestAllowance.perMinute(6_000));
        assertThat(ProviderLimitDefaults.forProvider("teams").allowances()).containsExactly(RequestAllowance.perSecond(30));
        assertThat(ProviderLimitDefaults.forProvider("gong").allowances())
                .containsExactlyInAnyOrder(RequestAllowance.perSecond(3), RequestAllowance.perDay(10_000));
    }

    @Test
    void every_provider_of_the_engine_has_documented_defaults() {
        for (String provider : List.of("salesforce", "dynamics", "teams", "onedrive", "google-drive", "gong", "zoom", "reference")) {
            assertThat(ProviderLimitDefaults.documented(provider)).as(provider).isPresent();
        }
    }

    @Test
    void an_unknown_provider_gets_the_fallback() {
        assertThat(ProviderLimitDefaults.documented("acme-crm")).isEmpty();
        assertThat(ProviderLimitDefaults.forProvider("acme-crm")).isEqualTo(ProviderLimitDefaults.FALLBACK);
    }

    @Test
    void overrides_replace_allowances_of_their_period_and_keep_the_others() {
        ProviderLimits limits = ProviderLimitDefaults.forProvider("dynamics")
                .withOverrides(new RateLimitSettings(10, null, 50_000L));

        assertThat(limits.allowances()).containsExactlyInAnyOrder(RequestAllowance.perSecond(10), RequestAllowance.perMinute(6_000),
                new RequestAllowance(6_000, Duration.ofMinutes(5)), RequestAllowance.perDay(50_000));
    }

    @Test
    void no_overrides_leave_the_limits_unchanged() {
        ProviderLimits defaults = ProviderLimitDefaults.forProvider("zoom");

        assertThat(defaults.withOverrides(null)).isEqualTo(defaults);
        assertThat(defaults.withOverrides(new RateLimitSettings(null, null, null))).isEqualTo(defaults);
    }

    @Test
    void the_burst_rate_is_the_rate_of_the_shortest_window() {
        assertThat(ProviderLimitDefaults.forProvider("salesforce").burstRatePerSecond()).isEqualTo(25.0);
        assertThat(ProviderLimitDefaults.forProvider("onedrive").burstRatePerSecond()).isCloseTo(10.4, offset(0.1));
    }

    @Test
    void two_allowances_for_one_period_are_rejected() {
        assertThatThrownBy(() -> ProviderLimits.of(RequestAllowance.perSecond(1), RequestAllowance.perSecond(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one allowance per period");
    }

    @Test
    void integrations_of_one_org_share_a_key_and_others_are_keyed_by_tenant() {
        Integration a = integration("t1", "i1", Map.of("orgId", "00D1"));
        Integration b = integration("t2", "i2", Map.of("orgId", "00D1"));
        Integration c = integration("t1", "i3", Map.of());

        assertThat(RateLimitKey.of(a)).isEqualTo(RateLimitKey.of(b)).isEqualTo(new RateLimitKey("salesforce", "org:00D1"));
        assertThat(RateLimitKey.of(c)).isEqualTo(new RateLimitKey("salesforce", "tenant:t1"));
    }

    @Test
    void quota_slowdown_scales_linearly_from_its_start_down_to_its_floor() {
        QuotaSlowdown s = QuotaSlowdown.DEFAULT;

        assertThat(s.factor(0.5)).isEqualTo(1.0);
        assertThat(s.factor(0.95)).isCloseTo(0.25, offset(1e-9));
        assertThat(s.factor(1.2)).isEqualTo(0.02);
    }

    private static Integration integration(String tenant, String id, Map<String, String> settings) {
        return new Integration(IntegrationId.of(id), TenantId.of(tenant), null,
                IntegrationData.of("salesforce", List.of()).withSettings(settings), 1, null, null);
    }
}
