package io.deliverylab.contract;

import java.time.Duration;

/**
 * The histogram buckets of both services' latency timers: twelve, from 5 ms to 30 s. Micrometer's
 * percentile histogram has about seventy per timer, which made three of every five series of a
 * consumer's scrape, and each scrape a burst of work on the stack's two cores.
 */
public final class LatencyBuckets {

    private static final long[] MILLIS = {5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000};

    private LatencyBuckets() {
    }

    /** The upper bounds, for a timer's {@code serviceLevelObjectives}. */
    public static Duration[] bounds() {
        Duration[] bounds = new Duration[MILLIS.length];
        for (int i = 0; i < MILLIS.length; i++) {
            bounds[i] = Duration.ofMillis(MILLIS[i]);
        }
        return bounds;
    }
}
