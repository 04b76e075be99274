package com.castiel.sync.schedule;

import com.castiel.sync.model.IntegrationData;
import com.castiel.sync.model.JobType;
import com.castiel.sync.model.SyncFrequency;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When an integration syncs next, and whether that sync is full or incremental.
 *
 * <ul>
 *   <li>{@code interval}: slots every {@code intervalMinutes}, anchored at the slot that was due
 *       (so a scheduler that runs a few seconds late does not make the cadence drift).</li>
 *   <li>{@code cron}: the six-field expression with seconds ({@code 0 *}{@code /5 * * * *}),
 *       Spring dialect, evaluated in the schedule's zone (UTC unless given).</li>
 *   <li>{@code manual}: never; such integrations only run when someone asks
 *       ({@link SyncScheduler#requestSync}).</li>
 * </ul>
 *
 * <p>Missed slots (the engine was down) are not replayed: {@link #nextSlot} returns the first slot
 * after now, so a due integration runs once and then resumes its cadence.
 *
 * <p>Thread-safe; parsed cron expressions are cached.
 */
public final class SyncSchedule {

    /**
     * The {@code nextSyncAt} of an integration that is never due: the seed's "far future"
     * (2099-12-31), kept as a real instant so every store can index and serialise it.
     */
    public static final Instant NEVER = Instant.parse("2099-12-31T00:00:00Z");

    private static final int CRON_CACHE_LIMIT = 1024;
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final ZoneId zone;
    private final ConcurrentHashMap<String, ExecutionTime> crons = new ConcurrentHashMap<>();

    /** A schedule evaluating cron expressions in UTC. */
    public SyncSchedule() {
        this(ZoneOffset.UTC);
    }

    /** A schedule evaluating cron expressions in {@code zone} (daylight-saving gaps follow cron-utils). */
    public SyncSchedule(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * Checks a frequency; use it where integrations are saved so a bad expression is rejected
     * there, not at the first tick.
     *
     * @throws IllegalArgumentException naming {@code syncFrequency.cronExpression} when the cron
     *     expression does not parse
     */
    public void validate(SyncFrequency frequency) {
        Objects.requireNonNull(frequency, "syncFrequency");
        if (frequency.type() == com.castiel.sync.model.FrequencyType.CRON) {
            executionTime(frequency.cronExpression());
        }
    }

    /**
     * The first slot strictly after {@code after}; empty for {@code manual} and for cron
     * expressions that never fire again.
     *
     * @throws IllegalArgumentException for an invalid cron expression
     */
    public Optional<Instant> nextAfter(SyncFrequency frequency, Instant after) {
        Objects.requireNonNull(after, "after");
        return switch (Objects.requireNonNull(frequency, "syncFrequency").type()) {
            case MANUAL -> Optional.empty();
            case INTERVAL -> Optional.of(after.plus(interval(frequency)));
            case CRON -> executionTime(frequency.cronExpression())
                    .nextExecution(ZonedDateTime.ofInstant(after, zone))
                    .map(ZonedDateTime::toInstant);
        };
    }

    /**
     * The slot to store as {@code nextSyncAt} when the slot {@code due} is claimed at
     * {@code now}: the first slot strictly after {@code now}, so slots missed during downtime
     * collapse into the one run being started.
     *
     * @param due the slot being claimed ({@code nextSyncAt}); {@code null} for a never-scheduled
     *     integration, whose cadence then starts at {@code now}
     * @return empty when no slot follows ({@code manual}, or a cron that never fires again)
     */
    public Optional<Instant> nextSlot(SyncFrequency frequency, Instant due, Instant now) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(frequency, "syncFrequency");
        if (frequency.type() != com.castiel.sync.model.FrequencyType.INTERVAL || due == null || due.isAfter(now)) {
            return nextAfter(frequency, due != null && due.isAfter(now) ? due : now);
        }
        long step = interval(frequency).toMillis();
        long behind = Duration.between(due, now).toMillis();
        long slots = behind / step + 1;
        return Optional.of(due.plusMillis(slots * step));
    }

    /**
     * Full or incremental: the first sync of an integration (no complete full scan yet) is full;
     * later ones are incremental, except that with {@code syncFrequency.fullSyncEveryHours} set a
     * slot becomes a full reconcile once the last complete full sync is at least that old.
     */
    public JobType jobTypeFor(IntegrationData data, Instant now) {
        Instant lastFull = data.lastFullSyncAt();
        if (lastFull == null) {
            return JobType.FULL_SYNC;
        }
        Integer everyHours = data.syncFrequency().fullSyncEveryHours();
        if (everyHours != null && !lastFull.plus(Duration.ofHours(everyHours)).isAfter(now)) {
            return JobType.FULL_SYNC;
        }
        return JobType.INCREMENTAL;
    }

    private static Duration interval(SyncFrequency frequency) {
        return Duration.ofMinutes(frequency.intervalMinutes());
    }

    private ExecutionTime executionTime(String expression) {
        ExecutionTime cached = crons.get(expression);
        if (cached != null) {
            return cached;
        }
        ExecutionTime parsed = ExecutionTime.forCron(parse(expression));
        if (crons.size() >= CRON_CACHE_LIMIT) {
            // expressions come from integration documents; bound the cache rather than trust their number
            crons.clear();
        }
        crons.put(expression, parsed);
        return parsed;
    }

    private static Cron parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("syncFrequency.cronExpression is required when type is cron");
        }
        try {
            // the parser's thread safety is not documented; parses are rare thanks to the cache
            synchronized (PARSER) {
                return PARSER.parse(expression.trim()).validate();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("syncFrequency.cronExpression '" + expression
                    + "' is not a valid six-field cron (second minute hour day-of-month month day-of-week, e.g. '0 */5 * * * *'): "
                    + e.getMessage(), e);
        }
    }
}
