package com.castiel.sync.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.castiel.sync.model.ConflictResolution;
import com.castiel.sync.model.EntityMapping;
import com.castiel.sync.model.ExternalRecord;
import com.castiel.sync.model.ExternalRelationship;
import com.castiel.sync.model.FieldConflict;
import com.castiel.sync.model.FieldDirection;
import com.castiel.sync.model.FieldMapping;
import com.castiel.sync.model.FieldType;
import com.castiel.sync.model.Integration;
import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.IntegrationId;
import com.castiel.sync.model.Shard;
import com.castiel.sync.model.ShardId;
import com.castiel.sync.model.SyncDirection;
import com.castiel.sync.model.SyncJson;
import com.castiel.sync.model.SyncStatus;
import com.castiel.sync.model.TenantId;
import com.castiel.sync.model.WriteBackSettings;
import com.castiel.sync.spi.Capability;
import com.castiel.sync.spi.SyncException;
import com.castiel.sync.spi.WriteKind;
import com.castiel.sync.spi.WriteResult;
import com.castiel.sync.transform.MappedValues;
import com.castiel.sync.transform.RecordMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WriteBackPlannerTest {

    private static final Instant SYNCED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EARLY = Instant.parse("2026-03-01T10:05:00Z");
    private static final Instant LATE = Instant.parse("2026-03-01T10:10:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T11:00:00Z");
    private static final IntegrationId INTEGRATION = IntegrationId.of("int-1");
    private static final TenantId TENANT = TenantId.of("tenant-a");

    /** name, score both ways; owner in-only via a related record; stage in-only; notes out-only. */
    private static final EntityMapping MAPPING = EntityMapping.of("Contact", "person", List.of(
            FieldMapping.of("Name", "name"),
            FieldMapping.of("Score", "score", FieldType.NUMBER),
            FieldMapping.of("Owner.Name", "owner").withDirection(FieldDirection.IN),
            FieldMapping.of("Stage", "stage").withDirection(FieldDirection.IN),
            FieldMapping.of("Notes", "notes").withDirection(FieldDirection.OUT)));

    private static final Set<Capability> ALL = EnumSet.allOf(Capability.class);
    private static final Set<Capability> NO_READ = EnumSet.complementOf(EnumSet.of(Capability.FETCH_BY_IDS));

    private final RecordMapper mapper = new RecordMapper(MAPPING);

    private static ObjectNode json(String text) {
        return (ObjectNode) SyncJson.tree(text);
    }

    private static Integration integration(ConflictResolution policy) {
        IntegrationData data = IntegrationData.of("reference", List.of(MAPPING)).withConflictResolution(policy)
                .withWriteBack(WriteBackSettings.enabledWithDefaults());
        return new Integration(INTEGRATION, TENANT, "test", data, 1, null, null);
    }

    private WriteBackPlanner planner(ConflictResolution policy, Set<Capability> caps) {
        return new WriteBackPlanner(integration(policy), MAPPING, mapper, caps);
    }

    /** The external record as the provider holds it after the last sync. */
    private static ObjectNode baseExternal() {
        return json("""
                {"Name": "Ada", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "lead", "Notes": "n0"}""");
    }

    private ExternalRelationship syncedRelationship() {
        MappedValues base = mapper.toShard(ExternalRecord.of("Contact", "C-1", baseExternal(), SYNCED, "v1"));
        return ExternalRelationship.link("reference", INTEGRATION, "Contact", "C-1", SyncDirection.BIDIRECTIONAL)
                .synced(SYNCED, base.values(), base.hash(), "v1", SYNCED);
    }

    private static Shard shard(String dataJson, Instant updatedAt, ExternalRelationship rel) {
        return new Shard(ShardId.of("s-1"), TENANT, "person", json(dataJson), List.of(rel), SYNCED, updatedAt, null, "\"1\"", "user-1");
    }

    private static ExternalRecord external(String fieldsJson, Instant modifiedAt) {
        return ExternalRecord.of("Contact", "C-1", json(fieldsJson), modifiedAt, "v2");
    }

    // ---- conflict policies: field level ---------------------------------------------------------

    static Stream<Arguments> bothSidesChangedTheSameField() {
        // policy, Castiel changed later than the provider?, sent Name, Castiel takes name, parked
        return Stream.of(
                Arguments.of(ConflictResolution.EXTERNAL_WINS, true, null, "Eve", List.of()),
                Arguments.of(ConflictResolution.EXTERNAL_WINS, false, null, "Eve", List.of()),
                Arguments.of(ConflictResolution.CASTIEL_WINS, true, "Cat", null, List.of()),
                Arguments.of(ConflictResolution.CASTIEL_WINS, false, "Cat", null, List.of()),
                Arguments.of(ConflictResolution.NEWEST_WINS, true, "Cat", null, List.of()),
                Arguments.of(ConflictResolution.NEWEST_WINS, false, null, "Eve", List.of()),
                Arguments.of(ConflictResolution.MANUAL, true, null, null, List.of("name")),
                Arguments.of(ConflictResolution.MANUAL, false, null, null, List.of("name")));
    }

    @ParameterizedTest(name = "{0}, castiel newer: {1}")
    @MethodSource("bothSidesChangedTheSameField")
    void field_changed_on_both_sides_is_settled_by_the_policy(ConflictResolution policy, boolean castielNewer, String sentName,
                                                              String castielTakes, List<String> parked) {
        Instant castielAt = castielNewer ? LATE : EARLY;
        Instant externalAt = castielNewer ? EARLY : LATE;
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", castielAt, syncedRelationship());
        ExternalRecord read = external("""
                {"Name": "Eve", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "lead"}""", externalAt);

        RecordPlan plan = planner(policy, ALL).planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"),
                new ExternalState.Read(read), false);

        Resolution r = resolution(plan);
        assertThat(r.conflicts()).extracting(FieldConflict::field).containsExactly("name");
        assertThat(r.parked()).extracting(FieldConflict::field).containsExactlyElementsOf(parked);
        if (sentName == null) {
            assertThat(plan).isInstanceOf(RecordPlan.Settle.class);
        } else {
            RecordPlan.Write write = (RecordPlan.Write) plan;
            assertSameJson(write.request().fields(), json("{\"Name\": \"" + sentName + "\"}"));
            assertThat(write.request().ifMatch()).as("optimistic concurrency on the version read").isEqualTo("v2");
        }
        if (castielTakes == null) {
            assertThat(r.castielChanges().isEmpty()).isTrue();
        } else {
            assertSameJson(r.castielChanges(), json("{\"name\": \"" + castielTakes + "\"}"));
        }
    }

    @ParameterizedTest
    @MethodSource("policies")
    void disjoint_changes_merge_under_every_policy(ConflictResolution policy) {
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());
        ExternalRecord read = external("""
                {"Name": "Ada", "Score": 7, "Owner": {"Name": "Olga"}, "Stage": "won"}""", EARLY);

        RecordPlan plan = planner(policy, ALL).planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"),
                new ExternalState.Read(read), false);

        RecordPlan.Write write = (RecordPlan.Write) plan;
        assertSameJson(write.request().fields(), json("{\"Name\": \"Cat\"}"));
        assertSameJson(write.resolution().castielChanges(), json("{\"score\": 7, \"stage\": \"won\"}"));
        assertThat(write.resolution().conflicts()).isEmpty();
        assertThat(write.resolution().parked()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("policies")
    void both_sides_changing_a_field_to_the_same_value_is_no_conflict_and_no_write(ConflictResolution policy) {
        Shard shard = shard("""
                {"name": "Same", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());
        ExternalRecord read = external("""
                {"Name": "Same", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "lead"}""", EARLY);

        RecordPlan plan = planner(policy, ALL).planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"),
                new ExternalState.Read(read), false);

        assertThat(plan).isInstanceOf(RecordPlan.Settle.class);
        assertThat(resolution(plan).conflicts()).isEmpty();
        assertThat(resolution(plan).syncedHash()).isEqualTo(mapper.toShard(read).hash());
    }

    static Stream<ConflictResolution> policies() {
        return Stream.of(ConflictResolution.values());
    }

    @Test
    void manual_policy_writes_and_takes_the_fields_that_do_not_conflict_and_parks_the_rest() {
        Shard shard = shard("""
                {"name": "Cat", "score": 5, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());
        ExternalRecord read = external("""
                {"Name": "Eve", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "won"}""", EARLY);

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.MANUAL, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of(), new ExternalState.Read(read), false);

        assertSameJson(write.request().fields(), json("{\"Score\": 5, \"Notes\": \"n0\"}"));
        assertSameJson(write.resolution().castielChanges(), json("{\"stage\": \"won\"}"));
        assertThat(write.resolution().parked()).singleElement().satisfies(c -> {
            assertThat(c.field()).isEqualTo("name");
            assertThat(c.baseValue().asText()).isEqualTo("Ada");
            assertThat(c.castielValue().asText()).isEqualTo("Cat");
            assertThat(c.externalValue().asText()).isEqualTo("Eve");
        });
        assertThat(write.resolution().syncedValues().get("name").asText()).as("parked field keeps its base").isEqualTo("Ada");

        ExternalRelationship settled = write.resolution().settle(shard.externalRelationships().get(0),
                new WriteResult.Written("C-1", "v3", LATE, false), NOW);
        assertThat(settled.syncStatus()).isEqualTo(SyncStatus.CONFLICT);
        assertThat(settled.conflict().fields()).extracting(FieldConflict::field).containsExactly("name");
        assertThat(settled.lastSeenVersion()).isEqualTo("v3");
    }

    // ---- fields that are written ----------------------------------------------------------------

    @Test
    void only_the_changed_outbound_fields_are_sent() {
        Shard shard = shard("""
                {"name": "Cat", "score": 9, "owner": "Zed", "stage": "won", "notes": "n1"}""", LATE, syncedRelationship());

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.CASTIEL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("score", "owner"), ExternalState.NOT_READ, false);

        assertThat(write.request().kind()).isEqualTo(WriteKind.UPDATE);
        assertThat(write.request().externalId()).isEqualTo("C-1");
        // owner is in-only; name and notes were not named
        assertSameJson(write.request().fields(), json("{\"Score\": 9}"));
    }

    @Test
    void without_changed_fields_every_outbound_field_that_moved_from_the_base_is_sent() {
        Shard shard = shard("""
                {"name": "Ada", "score": 9, "owner": "Zed", "stage": "won", "notes": "n1"}""", LATE, syncedRelationship());

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.CASTIEL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of(), ExternalState.NOT_READ, false);

        // name did not move; notes is owned by Castiel
        assertSameJson(write.request().fields(), json("{\"Score\": 9, \"Notes\": \"n1\"}"));
    }

    @Test
    void castiel_wins_does_not_read_before_writing_and_other_policies_do() {
        ExternalRelationship rel = syncedRelationship();
        assertThat(planner(ConflictResolution.CASTIEL_WINS, ALL).readsBeforeUpdate(rel, false)).isFalse();
        assertThat(planner(ConflictResolution.CASTIEL_WINS, ALL).readsBeforeUpdate(rel, true)).as("after a failed precondition").isTrue();
        for (ConflictResolution p : List.of(ConflictResolution.EXTERNAL_WINS, ConflictResolution.NEWEST_WINS, ConflictResolution.MANUAL)) {
            assertThat(planner(p, ALL).readsBeforeUpdate(rel, false)).as(p.wire()).isTrue();
            assertThat(planner(p, NO_READ).readsBeforeUpdate(rel, false)).as(p.wire() + " without fetch by id").isFalse();
        }
    }

    @Test
    void an_outbound_link_is_castiels_record_never_read_merged_or_conditioned() {
        ExternalRelationship synced = syncedRelationship();
        ExternalRelationship outbound = new ExternalRelationship(synced.system(), synced.integrationId(), synced.externalEntity(),
                synced.externalId(), SyncDirection.OUTBOUND, synced.lastSyncedAt(), synced.lastSyncedHash(), synced.lastSeenVersion(),
                synced.lastSeenModifiedAt(), SyncStatus.SYNCED, null, synced.lastSyncedValues(), null);
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, outbound);
        ExternalRecord read = external("""
                {"Name": "Eve", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "won"}""", LATE.plusSeconds(5));
        WriteBackPlanner planner = planner(ConflictResolution.EXTERNAL_WINS, ALL);

        RecordPlan.Write write = (RecordPlan.Write) planner.planUpdate(shard, outbound, Set.of("name"), new ExternalState.Read(read), true);

        assertThat(planner.readsBeforeUpdate(outbound, true)).isFalse();
        assertSameJson(write.request().fields(), json("{\"Name\": \"Cat\"}"));
        assertThat(write.conditional()).isFalse();
        assertThat(write.resolution().castielChanges().isEmpty()).isTrue();
        assertThat(write.resolution().conflicts()).isEmpty();
    }

    @Test
    void unread_update_is_conditional_on_the_last_seen_version_when_the_adapter_supports_it() {
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());

        RecordPlan.Write conditional = (RecordPlan.Write) planner(ConflictResolution.EXTERNAL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"), ExternalState.NOT_READ, false);
        RecordPlan.Write plain = (RecordPlan.Write) planner(ConflictResolution.EXTERNAL_WINS, EnumSet.of(Capability.WRITE))
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"), ExternalState.NOT_READ, false);

        assertThat(conditional.request().ifMatch()).isEqualTo("v1");
        assertThat(conditional.request().ifUnmodifiedSince()).isEqualTo(SYNCED);
        assertThat(plain.conditional()).isFalse();
    }

    @Test
    void castiel_wins_writes_unconditionally_because_a_failed_precondition_would_lead_to_the_same_write() {
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.CASTIEL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"), ExternalState.NOT_READ, false);

        assertThat(write.conditional()).isFalse();
        assertThat(write.request().fields().fieldNames()).toIterable().containsExactly("Name");
    }

    @Test
    void a_value_the_mapping_cannot_convert_fails_the_record_naming_the_field() {
        Shard shard = shard("""
                {"name": "Cat", "score": "lots", "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());

        RecordPlan plan = planner(ConflictResolution.CASTIEL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("score"), ExternalState.NOT_READ, false);

        assertThat(plan).isInstanceOfSatisfying(RecordPlan.Fail.class, f -> assertThat(f.error())
                .isInstanceOfSatisfying(SyncException.Validation.class, v -> assertThat(v.field()).isEqualTo("score")));
    }

    @Test
    void a_record_gone_from_the_provider_fails_with_not_found() {
        Shard shard = shard("""
                {"name": "Cat", "score": 1}""", LATE, syncedRelationship());

        RecordPlan plan = planner(ConflictResolution.MANUAL, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"), ExternalState.GONE, false);

        assertThat(plan).isInstanceOfSatisfying(RecordPlan.Fail.class, f -> assertThat(f.error()).isInstanceOf(SyncException.NotFound.class));
    }

    // ---- record-level fallback ------------------------------------------------------------------

    static Stream<Arguments> recordLevelConflicts() {
        // policy, Castiel newer than the provider's stamp, expected: write (unconditional) / settle / park
        return Stream.of(
                Arguments.of(ConflictResolution.CASTIEL_WINS, false, "write"),
                Arguments.of(ConflictResolution.EXTERNAL_WINS, true, "leave"),
                Arguments.of(ConflictResolution.NEWEST_WINS, true, "write"),
                Arguments.of(ConflictResolution.NEWEST_WINS, false, "leave"),
                Arguments.of(ConflictResolution.MANUAL, true, "park"));
    }

    @ParameterizedTest(name = "{0}, castiel newer: {1} -> {2}")
    @MethodSource("recordLevelConflicts")
    void without_field_values_both_sides_modified_since_the_last_sync_is_a_record_level_conflict(ConflictResolution policy,
                                                                                                 boolean castielNewer, String expected) {
        Instant castielAt = castielNewer ? LATE : EARLY;
        Instant externalAt = castielNewer ? EARLY : LATE;
        ExternalRelationship rel = syncedRelationship();
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", castielAt, rel);
        // the provider answers with its stamps but none of the mapped fields
        ExternalRecord metadataOnly = external("{\"Id\": \"C-1\"}", externalAt);

        RecordPlan plan = planner(policy, ALL).planUpdate(shard, rel, Set.of("name"), new ExternalState.Read(metadataOnly), false);

        Resolution r = resolution(plan);
        assertThat(r.conflicts()).extracting(FieldConflict::field).containsExactly("name");
        assertThat(r.valuesCompared()).isFalse();
        switch (expected) {
            case "write" -> {
                RecordPlan.Write write = (RecordPlan.Write) plan;
                assertSameJson(write.request().fields(), json("{\"Name\": \"Cat\"}"));
                assertThat(write.conditional()).as("Castiel won knowingly: no precondition").isFalse();
            }
            case "leave" -> {
                assertThat(plan).isInstanceOf(RecordPlan.Settle.class);
                assertThat(r.syncedHash()).as("the next inbound read must merge, not skip").isNull();
            }
            case "park" -> {
                assertThat(plan).isInstanceOf(RecordPlan.Settle.class);
                assertThat(r.parked()).singleElement().satisfies(c -> assertThat(c.externalValue()).isNull());
                assertThat(r.syncedHash()).isEqualTo(rel.lastSyncedHash());
            }
            default -> throw new IllegalArgumentException(expected);
        }
    }

    @Test
    void without_field_values_an_external_record_unchanged_since_the_last_sync_is_no_conflict() {
        ExternalRelationship rel = syncedRelationship();
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, rel);
        ExternalRecord metadataOnly = external("{\"Id\": \"C-1\"}", SYNCED);

        RecordPlan plan = planner(ConflictResolution.MANUAL, ALL).planUpdate(shard, rel, Set.of("name"), new ExternalState.Read(metadataOnly), false);

        assertThat(plan).isInstanceOfSatisfying(RecordPlan.Write.class, w -> assertThat(w.resolution().conflicts()).isEmpty());
    }

    @Test
    void a_failed_precondition_without_a_way_to_read_counts_as_the_provider_having_changed() {
        ExternalRelationship rel = syncedRelationship();
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, rel);

        RecordPlan plan = planner(ConflictResolution.MANUAL, NO_READ).planUpdate(shard, rel, Set.of("name"), ExternalState.NOT_READ, true);

        assertThat(plan).isInstanceOf(RecordPlan.Settle.class);
        ExternalRelationship parked = resolution(plan).settle(rel, null, NOW);
        assertThat(parked.syncStatus()).isEqualTo(SyncStatus.CONFLICT);
        assertThat(parked.conflict().externalVersion()).as("no version is known to hold").isNull();
        assertThat(parked.lastSyncedAt()).as("nothing was synced").isEqualTo(SYNCED);
    }

    // ---- echo suppression: the predicted hash ---------------------------------------------------

    @Test
    void the_remembered_hash_is_the_one_the_next_inbound_read_produces() {
        Shard shard = shard("""
                {"name": "Cat", "score": 3.50, "owner": "Olga", "stage": "lead", "notes": "n1"}""", LATE, syncedRelationship());
        ExternalRecord read = external("""
                {"Name": "Ada", "Score": 1, "Owner": {"Name": "Olga"}, "Stage": "lead", "Notes": "n0"}""", EARLY);

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.NEWEST_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name", "score", "notes"), new ExternalState.Read(read), false);
        ObjectNode afterWrite = read.fields().deepCopy();
        afterWrite.setAll(write.request().fields());

        MappedValues nextRead = mapper.toShard(ExternalRecord.of("Contact", "C-1", afterWrite, LATE, "v3"));
        assertThat(write.resolution().syncedHash()).isEqualTo(nextRead.hash());
        assertThat(write.resolution().syncedValues()).isEqualTo(nextRead.values());
    }

    @Test
    void the_remembered_hash_of_an_unread_update_predicts_the_next_read_from_the_base() {
        Shard shard = shard("""
                {"name": "Cat", "score": 1, "owner": "Olga", "stage": "lead", "notes": "n0"}""", LATE, syncedRelationship());

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.CASTIEL_WINS, ALL)
                .planUpdate(shard, shard.externalRelationships().get(0), Set.of("name"), ExternalState.NOT_READ, false);
        ObjectNode afterWrite = baseExternal();
        afterWrite.setAll(write.request().fields());

        assertThat(write.resolution().syncedHash())
                .isEqualTo(mapper.toShard(ExternalRecord.of("Contact", "C-1", afterWrite, LATE, "v3")).hash());
    }

    @Test
    void a_create_sends_the_non_null_outbound_fields_and_predicts_the_record_it_makes() {
        ExternalRelationship rel = ExternalRelationship.link("reference", INTEGRATION, "Contact", null, SyncDirection.BIDIRECTIONAL);
        Shard shard = shard("""
                {"name": "New", "score": null, "notes": "hello", "stage": "lead"}""", LATE, rel);

        RecordPlan.Write write = (RecordPlan.Write) planner(ConflictResolution.MANUAL, ALL).planCreate(shard);

        assertThat(write.request().kind()).isEqualTo(WriteKind.CREATE);
        assertSameJson(write.request().fields(), json("{\"Name\": \"New\", \"Notes\": \"hello\"}"));
        ExternalRelationship linked = write.resolution().settle(rel, new WriteResult.Written("C-9", "v1", LATE, true), NOW);
        assertThat(linked.externalId()).isEqualTo("C-9");
        assertThat(linked.syncStatus()).isEqualTo(SyncStatus.SYNCED);
        assertThat(linked.lastSyncedHash())
                .isEqualTo(mapper.toShard(ExternalRecord.of("Contact", "C-9", write.request().fields(), LATE, "v1")).hash());
        assertThat(linked.lastSeenVersion()).isEqualTo("v1");
        assertThat(linked.lastSeenModifiedAt()).isEqualTo(LATE);
    }

    @Test
    void a_create_is_an_upsert_by_the_shard_id_when_the_mapping_names_an_external_id_field() {
        EntityMapping keyed = new EntityMapping("Contact", "person", MAPPING.fieldMappings(), true, null, "CastielId", null);
        WriteBackPlanner planner = new WriteBackPlanner(integration(ConflictResolution.MANUAL), keyed, new RecordMapper(keyed), ALL);
        ExternalRelationship rel = ExternalRelationship.link("reference", INTEGRATION, "Contact", null, SyncDirection.BIDIRECTIONAL);

        RecordPlan.Write write = (RecordPlan.Write) planner.planCreate(shard("{\"name\": \"New\"}", LATE, rel));

        assertThat(write.request().kind()).isEqualTo(WriteKind.UPSERT);
        assertThat(write.request().upsertField()).isEqualTo("CastielId");
        assertThat(write.request().upsertValue()).isEqualTo("s-1");
    }

    @Test
    void a_delete_of_a_record_never_created_is_skipped() {
        assertThat(planner(ConflictResolution.MANUAL, ALL).planDelete(null, null)).isInstanceOf(RecordPlan.Skip.class);
        assertThat(planner(ConflictResolution.MANUAL, ALL).planDelete(null, "C-1"))
                .isInstanceOfSatisfying(RecordPlan.Write.class, w -> assertThat(w.request().kind()).isEqualTo(WriteKind.DELETE));
    }

    private static void assertSameJson(com.fasterxml.jackson.databind.JsonNode actual, ObjectNode expected) {
        assertThat(RecordMapper.sameValue(actual, expected)).as("%s is %s", actual, expected).isTrue();
    }

    private static Resolution resolution(RecordPlan plan) {
        return switch (plan) {
            case RecordPlan.Write w -> w.resolution();
            case RecordPlan.Settle s -> s.resolution();
            default -> throw new AssertionError("expected a write or a settle, got " + plan);
        };
    }
}
