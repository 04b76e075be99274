package com.castiel.sync.retry;

import java.util.random.RandomGenerator;

/** A "random" source that always draws the same unit value, to pin jitter in a test. */
record FixedUnitRandom(double unit) implements RandomGenerator {

    @Override
    public long nextLong() {
        throw new UnsupportedOperationException("only nextDouble is used by the retry policy");
    }

    @Override
    public double nextDouble() {
        return unit;
    }
}
