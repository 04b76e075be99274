package com.castiel.sync.port;

import com.castiel.sync.testing.ForwardingCheck;
import org.junit.jupiter.api.Test;

class ForwardingStoresTest {

    @Test
    void the_shard_store_base_forwards_every_method_defaults_included() throws Exception {
        ForwardingCheck.assertForwardsEveryMethod(ShardStore.class, ForwardingShardStore.class, d -> new ForwardingShardStore(d) { });
    }

    @Test
    void the_run_store_base_forwards_every_method() throws Exception {
        ForwardingCheck.assertForwardsEveryMethod(RunStore.class, ForwardingRunStore.class, d -> new ForwardingRunStore(d) { });
    }
}
