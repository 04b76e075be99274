package com.castiel.sync.testkit.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * The script of faults a fake server injects. Rules are consulted in the order they were added;
 * the first rule that matches a request and still has a fault to give decides it. Two kinds:
 *
 * <ul>
 *   <li>{@link #next(int, RequestMatcher, Fault)}: the next {@code times} matching requests fail,
 *       then the rule is spent — deterministic, the usual choice in tests;</li>
 *   <li>{@link #randomly(double, long, RequestMatcher, Fault)}: each matching request fails with
 *       a probability, drawn from a {@link Random} seeded by the caller, so a failing run can be
 *       replayed by printing and reusing the seed.</li>
 * </ul>
 *
 * <p>Thread-safe; a decision and the consumption of a scripted fault are atomic, so
 * {@code next(1, …)} fails exactly one request even under concurrency.
 */
public final class FaultPlan {

    private final List<Rule> rules = new ArrayList<>();
    private final List<Fault> injected = new ArrayList<>();

    /**
     * Fails the next {@code times} requests matching {@code matcher} with {@code fault}.
     *
     * @return this plan, for chaining
     */
    public synchronized FaultPlan next(int times, RequestMatcher matcher, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be positive");
        }
        rules.add(new Rule(Objects.requireNonNull(matcher, "matcher"), Objects.requireNonNull(fault, "fault"), times, 0, null));
        return this;
    }

    /**
     * Fails each request matching {@code matcher} with probability {@code probability}.
     *
     * @param seed seed of the draw; print it in the test so a failure can be replayed
     * @return this plan, for chaining
     */
    public synchronized FaultPlan randomly(double probability, long seed, RequestMatcher matcher, Fault fault) {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be between 0 and 1");
        }
        rules.add(new Rule(Objects.requireNonNull(matcher, "matcher"), Objects.requireNonNull(fault, "fault"),
                Integer.MAX_VALUE, probability, new Random(seed)));
        return this;
    }

    /** Decides the fault for one request, consuming it from its rule; empty means answer normally. */
    public synchronized Optional<Fault> decide(RequestView request) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (!rule.matcher().matches(request)) {
                continue;
            }
            if (rule.random() != null) {
                if (rule.random().nextDouble() < rule.probability()) {
                    injected.add(rule.fault());
                    return Optional.of(rule.fault());
                }
                continue;
            }
            if (rule.remaining() == 1) {
                rules.remove(i);
            } else {
                rules.set(i, rule.consumed());
            }
            injected.add(rule.fault());
            return Optional.of(rule.fault());
        }
        return Optional.empty();
    }

    /** Scripted faults still to be injected (random rules not counted). */
    public synchronized int pending() {
        return rules.stream().filter(r -> r.random() == null).mapToInt(Rule::remaining).sum();
    }

    /** Every fault injected so far, in order. */
    public synchronized List<Fault> injected() {
        return List.copyOf(injected);
    }

    /** Removes every rule; already-injected history is kept. */
    public synchronized void clear() {
        rules.clear();
    }

    private record Rule(RequestMatcher matcher, Fault fault, int remaining, double probability, Random random) {
        Rule consumed() {
            return new Rule(matcher, fault, remaining - 1, probability, random);
        }
    }
}
