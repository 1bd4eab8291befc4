package io.deliverylab.lab.nemesis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/** Breaks things on schedule while the workload runs, and records every event with its time. */
public final class Nemesis implements Runnable {

    /** The action of an event that records a fault that could not be injected. */
    public static final String FAILED = "failed";

    /** The action of an event that records a fault that found no victim (already down, or none): see {@link VictimUnavailable}. */
    public static final String SKIPPED = "skipped";

    /** The action of an event that records the end of a fault. */
    public static final String HEAL = "heal";

    private final StackControl stack;
    private final FaultSchedule schedule;
    private final LongSupplier acknowledged;
    private final long startMillis;
    private final List<FaultEvent> events = new CopyOnWriteArrayList<>();
    private volatile String current = "-";
    private volatile boolean finished;

    public Nemesis(StackControl stack, FaultSchedule schedule, LongSupplier acknowledged, long startMillis) {
        this.stack = stack;
        this.schedule = schedule;
        this.acknowledged = acknowledged;
        this.startMillis = startMillis;
    }

    /**
     * Every fault has its own thread: each waits for its own trigger, so faults whose windows
     * overlap (kill-leader@3s:for=20s with kill-controller@3s:for=20s) really run at the same time.
     * Faults due at once (a loaded machine woke their threads late) strike in the schedule's order.
     */
    @Override
    public void run() {
        List<Thread> threads = new java.util.ArrayList<>();
        List<FaultSchedule.Fault> faults = schedule.faults();
        List<CountDownLatch> tried = faults.stream().map(f -> new CountDownLatch(1)).toList();
        for (int i = 0; i < faults.size(); i++) {
            FaultSchedule.Fault fault = faults.get(i);
            List<CountDownLatch> before = new java.util.ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (notLater(faults.get(j), fault)) {
                    before.add(tried.get(j));
                }
            }
            CountDownLatch mine = tried.get(i);
            Thread t = new Thread(() -> follow(fault, before, mine), "nemesis-" + fault.action().label() + "-" + fault.target().name());
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                try {
                    t.join(30_000); // a fault that was struck still heals
                } catch (InterruptedException again) {
                    break;
                }
            }
            Thread.currentThread().interrupt();
        } finally {
            current = "-";
            finished = true;
        }
    }

    /** {@code a}'s trigger comes no later than {@code b}'s, both counted the same way. */
    static boolean notLater(FaultSchedule.Fault a, FaultSchedule.Fault b) {
        if (a.afterMessages() != null || b.afterMessages() != null) {
            return a.afterMessages() != null && b.afterMessages() != null && a.afterMessages() <= b.afterMessages();
        }
        return a.afterSeconds() <= b.afterSeconds();
    }

    /** Strikes {@code fault} once due and once every fault due no later has been tried, then says so through {@code tried}. */
    private void follow(FaultSchedule.Fault fault, List<CountDownLatch> before, CountDownLatch tried) {
        try {
            awaitTrigger(fault);
            for (CountDownLatch earlier : before) {
                earlier.await();
            }
            for (int i = 0; i < fault.times(); i++) {
                if (i > 0) {
                    sleep((long) (fault.everySeconds() * 1000));
                }
                String victim = inject(fault);
                tried.countDown();
                if (victim != null) {
                    holdThenHeal(fault, victim);
                    if (i + 1 < fault.times()) {
                        awaitReturn(victim);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tried.countDown();
        }
    }

    private void awaitTrigger(FaultSchedule.Fault fault) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            boolean due = fault.afterMessages() != null
                    ? acknowledged.getAsLong() >= fault.afterMessages()
                    : System.currentTimeMillis() - startMillis >= fault.afterSeconds() * 1000;
            if (due) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Tries {@code fault} and records what happened; its victim, or null if it was skipped or failed. */
    private String inject(FaultSchedule.Fault fault) {
        String victim;
        try {
            victim = switch (fault.action()) {
                case KILL -> stack.kill(fault.target());
                case PAUSE -> stack.pause(fault.target());
                case PARTITION -> stack.partition(fault.target());
                case ADD -> stack.add(fault.target());
            };
        } catch (VictimUnavailable e) {
            // A collision with an earlier fault: the schedule's fact, not the lab's failure.
            record(SKIPPED, fault.action().label() + " " + fault.target().name(), e.getMessage());
            System.err.println("nemesis: skipped " + fault.action().label() + " " + fault.target().name() + ": " + e.getMessage());
            return null;
        } catch (RuntimeException e) {
            // A fault the lab could not carry out makes its rows meaningless: record it, the lab reports it.
            record(FAILED, fault.action().label() + " " + fault.target().name(), e.getMessage());
            System.err.println("nemesis: could not " + fault.action().label() + " " + fault.target().name() + ": " + e);
            return null;
        }
        record(fault.action().label(), victim);
        return victim;
    }

    /** Keeps {@code victim} broken for the fault's duration, if it has one, then mends it. */
    private void holdThenHeal(FaultSchedule.Fault fault, String victim) throws InterruptedException {
        if (fault.forSeconds() > 0) {
            try {
                sleep((long) (fault.forSeconds() * 1000));
            } finally {
                // Interrupted (the experiment ended) or not: what was broken is mended.
                try {
                    stack.heal(victim);
                    record(HEAL, victim);
                } catch (RuntimeException e) {
                    record(FAILED, "heal " + victim, e.getMessage());
                }
            }
        }
    }

    /**
     * A repeat counts its {@code every} from the end of the fault before it: the heal, or for a
     * killed service the moment it answers again. Counted from the strike, a repeat would find the
     * service still restarting whenever a start takes longer than {@code every} (a busy machine) and
     * strike nothing. The experiment's end interrupts the wait.
     */
    private void awaitReturn(String victim) throws InterruptedException {
        while (stack.restarting(victim)) {
            Thread.sleep(200);
        }
    }

    private void record(String action, String victim) {
        record(action, victim, null);
    }

    private void record(String action, String victim, String reason) {
        FaultEvent event = new FaultEvent(System.currentTimeMillis(), action, victim, reason);
        events.add(event);
        if (action.equals(HEAL)) {
            current = "-";
        } else if (event.struck()) {
            current = action + " " + victim; // a skipped or failed fault leaves the one in force shown
        }
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    public List<FaultEvent> events() {
        return List.copyOf(events);
    }

    public String current() {
        return current;
    }

    public boolean finished() {
        return finished;
    }
}
