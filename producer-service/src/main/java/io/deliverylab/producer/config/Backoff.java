package io.deliverylab.producer.config;

import java.time.Duration;

/** The pause before something failed is tried again, on the caller's thread; an interrupt ends it. */
public final class Backoff {

    public static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Backoff() {
    }
}
