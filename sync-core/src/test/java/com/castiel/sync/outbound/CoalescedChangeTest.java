package com.castiel.sync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Operation;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackMessage;
import com.castiel.sync.port.LockedMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalescedChangeTest {

    private static long sequence;

    private static Delivery delivery(Operation op, String externalId, String... fields) {
        WriteBackMessage m = new WriteBackMessage(ShardId.of("s-1"), TenantId.of("t"), op, List.of(fields), "reference", externalId,
                IntegrationId.of("int-1"), Instant.EPOCH, "user", "c", 1, "contacts");
        long seq = ++sequence;
        return new Delivery(new LockedMessage("sync-outbound", "m" + seq, seq, "int-1", new byte[0], "c", 1, Instant.EPOCH, Instant.MAX,
                "lock", Instant.MAX, null), m);
    }

    @Test
    void several_updates_merge_their_changed_fields() {
        CoalescedChange c = new CoalescedChange(delivery(Operation.UPDATE, "X", "name"));

        assertThat(c.add(delivery(Operation.UPDATE, "X", "score"))).isTrue();
        assertThat(c.add(delivery(Operation.UPDATE, "X", "name"))).isTrue();

        assertThat(c.operation()).isEqualTo(Operation.UPDATE);
        assertThat(c.changedFields()).containsExactlyInAnyOrder("name", "score");
        assertThat(c.deliveries()).hasSize(3);
    }

    @Test
    void an_update_naming_no_fields_makes_the_change_cover_every_field() {
        CoalescedChange c = new CoalescedChange(delivery(Operation.UPDATE, "X", "name"));

        c.add(delivery(Operation.UPDATE, "X"));

        assertThat(c.changedFields()).isEmpty();
    }

    @Test
    void a_create_followed_by_updates_stays_one_create() {
        CoalescedChange c = new CoalescedChange(delivery(Operation.CREATE, null));

        c.add(delivery(Operation.UPDATE, null, "name"));
        c.add(delivery(Operation.UPDATE, null, "score"));

        assertThat(c.operation()).isEqualTo(Operation.CREATE);
        assertThat(c.externalId()).isNull();
    }

    @Test
    void updates_followed_by_a_delete_become_the_delete() {
        CoalescedChange c = new CoalescedChange(delivery(Operation.UPDATE, "X", "name"));

        c.add(delivery(Operation.DELETE, "X"));

        assertThat(c.operation()).isEqualTo(Operation.DELETE);
        assertThat(c.externalId()).isEqualTo("X");
    }

    @Test
    void nothing_is_coalesced_after_a_delete() {
        CoalescedChange c = new CoalescedChange(delivery(Operation.DELETE, "X"));

        assertThat(c.add(delivery(Operation.UPDATE, "X", "name"))).isFalse();
        assertThat(c.deliveries()).hasSize(1);
    }

    @Test
    void messages_are_coalesced_by_shard_and_entity() {
        WriteBackMessage a = delivery(Operation.UPDATE, "X", "name").message();
        WriteBackMessage other = new WriteBackMessage(a.shardId(), a.tenantId(), a.operation(), a.changedFields(), a.externalSystem(),
                a.externalId(), a.integrationId(), a.triggeredAt(), a.triggeredBy(), a.correlationId(), 1, "accounts");

        assertThat(CoalescedChange.keyOf(a)).isNotEqualTo(CoalescedChange.keyOf(other));
        assertThat(CoalescedChange.keyOf(a)).isEqualTo(CoalescedChange.keyOf(delivery(Operation.DELETE, "X").message()));
    }
}
