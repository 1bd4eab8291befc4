package io.deliverylab.contract;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The services' test hooks that hold work at one point until a file exists: how a test forces an interleaving. */
public final class HoldFile {

    private HoldFile() {
    }

    /** Waits until {@code file} exists, at most {@code atMost}; returns early, interrupt flag set, if interrupted. */
    public static void await(Path file, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
