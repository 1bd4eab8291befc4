package io.deliverylab.lab.stack;

import io.deliverylab.stack.QuarkusApp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Restarts a service process that is gone after a delay, as a Deployment replaces a deleted pod; each
 * on a thread of its own, so one slow start does not hold back another service's restart.
 */
final class ServiceSupervisor implements Runnable {

    private final Supplier<List<QuarkusApp>> services;
    private final BooleanSupplier closing;
    private final Duration restartDelay;
    private final Consumer<String> log;
    /** Services being restarted now, by name: each gets one restart at a time. */
    private final java.util.Set<String> restarting = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<Thread> restarts = new java.util.concurrent.CopyOnWriteArrayList<>();

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
                if (!closing.getAsBoolean() && !app.isAlive() && restarting.add(app.name())) {
                    Thread t = new Thread(() -> {
                        try {
                            restart(app);
                        } finally {
                            restarting.remove(app.name());
                        }
                    }, "restart-" + app.name());
                    t.setDaemon(true);
                    restarts.removeIf(r -> !r.isAlive());
                    restarts.add(t);
                    t.start();
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
        // Stopping: no restart may launch a process after the stack stopped its services.
        restarts.forEach(Thread::interrupt);
        for (Thread t : restarts) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void restart(QuarkusApp app) {
        String line = Instant.now() + " " + app.name() + " is gone; restarting in " + restartDelay.toMillis() + " ms";
        log.accept(line);
        try {
            Thread.sleep(restartDelay.toMillis());
            if (closing.getAsBoolean() || Thread.currentThread().isInterrupted() || !services.get().contains(app)) {
                return; // stopping, or no longer one of the services (a member add-consumer removed, a replaced producer)
            }
            app.start(Duration.ofSeconds(90));
            log.accept(Instant.now() + " " + app.name() + " restarted (pid " + app.process().pid() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept(app.name() + " failed to restart: " + e.getMessage());
        }
    }
}
