package io.deliverylab.lab.stack;

import io.deliverylab.stack.QuarkusApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Restarts a service process that is gone after a delay, as a Deployment replaces a deleted pod. */
final class ServiceSupervisor implements Runnable {

    private final Supplier<List<QuarkusApp>> services;
    private final BooleanSupplier closing;
    private final Duration restartDelay;
    private final Consumer<String> log;

    ServiceSupervisor(Supplier<List<QuarkusApp>> services, BooleanSupplier closing, Duration restartDelay, Consumer<String> log) {
        this.services = services;
        this.closing = closing;
        this.restartDelay = restartDelay;
        this.log = log;
    }

    @Override
    public void run() {
        while (!closing.getAsBoolean()) {
            for (QuarkusApp app : services.get()) {
                if (!closing.getAsBoolean() && !app.isAlive()) {
                    restart(app);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void restart(QuarkusApp app) {
        String line = Instant.now() + " " + app.name() + " is gone; restarting in " + restartDelay.toMillis() + " ms";
        log.accept(line);
        try {
            Thread.sleep(restartDelay.toMillis());
            app.start(Duration.ofSeconds(90));
            log.accept(Instant.now() + " " + app.name() + " restarted (pid " + app.process().pid() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept(app.name() + " failed to restart: " + e.getMessage());
        }
    }
}
