package com.castiel.sync.spi;

import com.castiel.sync.testing.ForwardingCheck;
import org.junit.jupiter.api.Test;

class ForwardingAdapterTest {

    @Test
    void forwards_every_adapter_method_close_included() throws Exception {
        ForwardingCheck.assertForwardsEveryMethod(ProviderAdapter.class, ForwardingAdapter.class, d -> new ForwardingAdapter(d) { });
    }
}
