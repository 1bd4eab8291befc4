package io.deliverylab.lab.run;

import io.deliverylab.lab.check.ApplyTimes;
import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.Stack;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.Backlog;
import io.deliverylab.lab.observe.BalanceWatch;
import io.deliverylab.lab.observe.Observer;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.DeliveryMode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One experiment: a workload per mode, all at once, under one fault schedule. Then it waits
 * (bounded) for the system to settle, gathers an {@link Observation} per run ({@link Observer})
 * and hands it to the checker. It follows the stack's addresses as they change: a replacement
 * producer runs on another port than the zombie it replaced.
 */
public final class Experiment {

    /** The workload: what each mode's run sends. */
    public record Workload(long messages, int keys, Integer ratePerSecond, double abortRatio, int poison,
            io.deliverylab.contract.Workload.Kind kind) {

        /** A transfers workload. */
        public Workload(long messages, int keys, Integer ratePerSecond, double abortRatio, int poison) {
            this(messages, keys, ratePerSecond, abortRatio, poison, io.deliverylab.contract.Workload.Kind.TRANSFERS);
        }

        /** Whether the lab watches the balances' sum while the run goes on. */
        public boolean bank() {
            return kind == io.deliverylab.contract.Workload.Kind.BANK;
        }

        /** A workload that aborts no transaction on purpose. */
        public Workload(long messages, int keys, Integer ratePerSecond) {
            this(messages, keys, ratePerSecond, 0);
        }

        /** A workload without poison messages. */
        public Workload(long messages, int keys, Integer ratePerSecond, double abortRatio) {
            this(messages, keys, ratePerSecond, abortRatio, 0);
        }

        /** The poison messages a run of {@code mode} is sent with: none but for a share group, the one mode that gives up on them. */
        public Integer poisonFor(DeliveryMode mode) {
            return poison > 0 && mode.shareGroup() ? poison : null;
        }

        /** The abort ratio a run of {@code mode} is sent with: none for a mode without transactions. */
        public Double abortRatioFor(DeliveryMode mode) {
            return abortRatio > 0 && mode.transactional() ? abortRatio : null;
        }
    }

    /**
     * A timeline sample: seconds since start, messages applied and acknowledged per run so far (their
     * difference is what the consumers still owe: the lag). {@code acked} is null in results written
     * before it was recorded.
     */
    public record Sample(double seconds, Map<String, Long> applied, Map<String, Long> acked) {
    }

    /**
     * What an experiment produced. The raw observations go to observations.json.gz, not results.json
     * nor the supervisor's /metrics, so that {@code ./lab check} can judge a stored run again.
     */
    public record Outcome(String fault, String schedule, long startedAt, List<Verdict> verdicts, List<FaultEvent> events,
            List<Sample> timeline, double seconds,
            @com.fasterxml.jackson.annotation.JsonIgnore List<Observation> observations,
            Map<String, List<ApplyTimes.LatencySecond>> latency, Map<String, ApplyTimes.PartitionGap> gaps,
            Map<String, List<Observation.Total>> totals) {

        /** Absent in results written before the bank workload: none. */
        public Outcome {
            totals = totals == null ? Map.of() : totals;
        }

        /**
         * An outcome whose latency per second, longest partition gap and balance snapshots are read from its
         * observations: what a run just observed and a stored history judged again both give.
         */
        public static Outcome of(String fault, String schedule, long startedAt, List<Verdict> verdicts, List<FaultEvent> events,
                List<Sample> timeline, double seconds, List<Observation> observations) {
            Map<String, List<ApplyTimes.LatencySecond>> latency = new LinkedHashMap<>();
            Map<String, ApplyTimes.PartitionGap> gaps = new LinkedHashMap<>();
            for (Observation o : observations) {
                List<ApplyTimes.Apply> applies = ApplyTimes.of(o);
                latency.put(o.runId(), ApplyTimes.latencyBySecond(applies, startedAt));
                ApplyTimes.PartitionGap gap = ApplyTimes.longestGap(applies, startedAt);
                if (gap != null) {
                    gaps.put(o.runId(), gap);
                }
            }
            return new Outcome(fault, schedule, startedAt, verdicts, events, timeline, seconds, observations, latency, gaps,
                    Observation.totalsByRun(observations));
        }

        /** Without snapshots of balances (a transfers workload). */
        public Outcome(String fault, String schedule, long startedAt, List<Verdict> verdicts, List<FaultEvent> events,
                List<Sample> timeline, double seconds, List<Observation> observations,
                Map<String, List<ApplyTimes.LatencySecond>> latency, Map<String, ApplyTimes.PartitionGap> gaps) {
            this(fault, schedule, startedAt, verdicts, events, timeline, seconds, observations, latency, gaps, Map.of());
        }

        /** Without what the database said per second and per partition (a hand-built outcome). */
        public Outcome(String fault, String schedule, long startedAt, List<Verdict> verdicts, List<FaultEvent> events,
                List<Sample> timeline, double seconds, List<Observation> observations) {
            this(fault, schedule, startedAt, verdicts, events, timeline, seconds, observations, Map.of(), Map.of());
        }
    }

    /** Nothing applied for this long (longer than the consumers' 6 s session timeout) counts as settled. */
    private static final long QUIET_MILLIS = 8000;
    /** While quiet but not settled ({@link Backlog}), how often Kafka is asked again. */
    private static final long BACKLOG_CHECK_MILLIS = 2000;

    private final Stack stack;
    private final PrintStream out;
    private final Duration settleTimeout;
    /** How long to wait for a stack that stopped under the runs to come back; zero: stop at once ({@link StackGone}). */
    private Duration waitForStack = Duration.ZERO;

    public Experiment(Stack stack, PrintStream out, Duration settleTimeout) {
        this.stack = stack;
        this.out = out;
        this.settleTimeout = settleTimeout;
    }

    /** Waits up to {@code max} for a stack that stopped under the runs to come back, then judges them. */
    public Experiment waitForStack(Duration max) {
        this.waitForStack = max;
        return this;
    }

    public Outcome run(List<DeliveryMode> modes, Workload workload, FaultSchedule schedule, String faultName)
            throws InterruptedException {
        return follow(modes, workload, schedule, faultName, Map.of());
    }

    /**
     * Every guarantee once at {@code workload}'s size and rate, no fault, judged by nobody: a fresh stack's
     * JVMs compile as they go, and its first run would measure that instead of the guarantee (docs/bench.md).
     */
    public void warmUp(Workload workload) throws InterruptedException {
        out.printf("  warm-up: every guarantee, %,d messages at %s/s, no fault (not measured)%n", workload.messages(),
                workload.ratePerSecond() == null ? "max" : workload.ratePerSecond());
        Workload plain = new Workload(workload.messages(), workload.keys(), workload.ratePerSecond());
        follow(DeliveryMode.guarantees(), plain, FaultSchedule.parse("none", workload.messages(), 0), "warm-up", Map.of());
    }

    /** Judges runs started earlier (by a run whose stack stopped under it), without a fault: they are watched to their end. */
    public Outcome attach(Map<DeliveryMode, String> started, Workload workload) throws InterruptedException {
        return follow(List.copyOf(started.keySet()), workload, FaultSchedule.parse("none", workload.messages(), 0), "attached", started);
    }

    private Outcome follow(List<DeliveryMode> modes, Workload workload, FaultSchedule schedule, String faultName,
            Map<DeliveryMode, String> started) throws InterruptedException {
        long start = System.currentTimeMillis();
        Map<DeliveryMode, String> runs = new LinkedHashMap<>(started);
        // Ctrl-C (or any exit) while the experiment runs cancels its runs: a producer would otherwise resume them forever.
        Thread cancelOnExit = new Thread(() -> runs.values().forEach(id -> {
            int status = ServiceClient.cancelRun(stack.info(), id);
            System.err.println("cancelled run " + id + (status < 0 ? ": the producer does not answer" : ": " + status));
        }), "cancel-runs");
        Runtime.getRuntime().addShutdownHook(cancelOnExit);
        try {
            StackInfo info = stack.info();
            Observer observer = new Observer(info);
            Map<DeliveryMode, Double> rebalancesBefore = observer.rebalances(modes);
            for (DeliveryMode mode : modes) {
                if (!runs.containsKey(mode)) {
                    runs.put(mode, ServiceClient.startRun(info, mode, workload.messages(), workload.keys(), workload.ratePerSecond(),
                            workload.abortRatioFor(mode), workload.poisonFor(mode), workload.kind()));
                }
            }
            return runAndCheck(workload, schedule, faultName, start, runs, observer, rebalancesBefore);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cancels the runs
            }
        }
    }

    private Outcome runAndCheck(Workload workload, FaultSchedule schedule, String faultName, long start,
            Map<DeliveryMode, String> runs, Observer observer, Map<DeliveryMode, Double> rebalancesBefore)
            throws InterruptedException {
        Map<String, Long> acked = new HashMap<>();
        Nemesis nemesis = new Nemesis(RunScopedFaults.of(stack, runs.keySet().stream().map(DeliveryMode::topic).toList()), schedule,
                () -> runs.values().stream().mapToLong(id -> acked.getOrDefault(id, 0L)).min().orElse(0), start);
        Thread nemesisThread = new Thread(nemesis, "nemesis");
        nemesisThread.start();

        List<Sample> timeline = new ArrayList<>();
        // The bank's invariant is read every 200 ms on a thread of its own, beside this 500 ms loop.
        BalanceWatch watch = workload.bank() ? BalanceWatch.start(stack::info, runs.values(), start) : null;
        Map<String, String> states = new HashMap<>();
        Map<String, Long> applied = new HashMap<>();
        long lastChange = System.currentTimeMillis();
        long settledAt = -1;
        boolean unseen = false;
        long producerDoneAt = -1;
        long watchedFrom = start;
        Map<String, Long> ackedBefore = Map.of();
        long nextBacklogCheck = 0;
        String pending = null;
        while (true) {
            if (awaitStack(start, runs, nemesisThread)) {
                lastChange = System.currentTimeMillis(); // a stack that came back starts its quiet period afresh
                watchedFrom = lastChange;
            }
            StackInfo info = stack.info(); // the producer may have moved (a replacement for a paused one)
            for (String id : runs.values()) {
                ServiceClient.run(info.producerUrl(), id).ifPresent(run -> {
                    // A restarted producer knows a finished run only from its last checkpoint, whose count of
                    // acknowledgements can be older than what the previous instance reported: keep the highest.
                    acked.merge(id, run.acknowledged(), Math::max);
                    states.put(id, run.state().name());
                });
            }
            Map<String, Long> now = new LabDatabase(info).appliedCounts(runs.values());
            // Quiet only counts while every consumer is up: a dead, paused or restarting one applies nothing, yet is not done.
            boolean consumersUp = info.consumerUrls().stream().allMatch(ServiceClient::ready);
            if (!now.equals(applied) || !consumersUp) {
                lastChange = System.currentTimeMillis();
                applied = now;
            }
            if (!acked.equals(ackedBefore)) {
                watchedFrom = System.currentTimeMillis(); // the producer is still getting on
                ackedBefore = Map.copyOf(acked);
            }
            timeline.add(new Sample((System.currentTimeMillis() - start) / 1000.0, Map.copyOf(now), Map.copyOf(acked)));
            progress(runs, acked, applied, workload, nemesis.current(), start);

            boolean produced = runs.values().stream().allMatch(id -> !"RUNNING".equals(states.getOrDefault(id, "RUNNING")));
            if (produced && nemesis.finished() && producerDoneAt < 0) {
                producerDoneAt = System.currentTimeMillis();
            }
            if (producerDoneAt > 0) {
                Map<String, Long> appliedNow = applied;
                // A poison message is never applied: a share-group run is complete without its poison.
                boolean complete = runs.entrySet().stream().allMatch(e -> appliedNow.getOrDefault(e.getValue(), 0L)
                        >= workload.messages() - java.util.Objects.requireNonNullElse(workload.poisonFor(e.getKey()), 0));
                boolean quiet = System.currentTimeMillis() - lastChange > QUIET_MILLIS;
                if (complete && consumersUp) {
                    settledAt = lastChange;
                    break;
                }
                // Quiet is settled only if nothing more can reach the consumers: a transaction still open in
                // the log, or a group still rebalancing, would otherwise be judged as lost messages.
                if (quiet && System.currentTimeMillis() >= nextBacklogCheck) {
                    Optional<String> why = Backlog.pending(info, runs.keySet());
                    if (why.isEmpty()) {
                        settledAt = lastChange;
                        break;
                    }
                    if (!why.get().equals(pending)) {
                        out.printf("%nnot settled yet, applied nothing for %.0f s but: %s%n",
                                (System.currentTimeMillis() - lastChange) / 1000.0, why.get());
                    }
                    pending = why.get();
                    nextBacklogCheck = System.currentTimeMillis() + BACKLOG_CHECK_MILLIS;
                }
                if (System.currentTimeMillis() - producerDoneAt > settleTimeout.toMillis()) {
                    unseen = true;
                    if (pending != null) {
                        out.printf("%nnot settled within --settle-timeout %s: %s%n", settleTimeout, pending);
                    }
                    break;
                }
            } else if (System.currentTimeMillis() - watchedFrom > settleTimeout.toMillis() * 4) {
                unseen = true; // the producer stopped getting on: no acknowledgement for four settle timeouts
                out.printf("%nnot settled: no run acknowledged anything for %s%n", settleTimeout.multipliedBy(4));
                break;
            }
            Thread.sleep(500);
        }
        nemesisThread.interrupt();
        nemesisThread.join(60_000);
        if (watch != null) {
            watch.close();
        }
        out.println();

        List<FaultEvent> events = nemesis.events();
        long lastFault = events.stream().filter(FaultEvent::struck).mapToLong(FaultEvent::atMillis).max().orElse(-1);
        long quiescence = lastFault < 0 || unseen ? -1 : Math.max(0, settledAt - lastFault);
        Observer settledObserver = new Observer(stack.info());
        Map<DeliveryMode, Double> rebalancesAfter = settledObserver.rebalances(new ArrayList<>(runs.keySet()));
        List<Verdict> verdicts = new ArrayList<>();
        List<Observation> observations = new ArrayList<>();
        for (var e : runs.entrySet()) {
            long rebalances = Math.round(rebalancesAfter.getOrDefault(e.getKey(), 0.0) - rebalancesBefore.getOrDefault(e.getKey(), 0.0));
            Observation o = settledObserver.observe(e.getKey(), e.getValue(), workload.messages(), workload.keys(), unseen, quiescence,
                    Math.max(0, rebalances)).withTotals(workload.kind(), watch == null ? List.of() : watch.totals(e.getValue()));
            observations.add(o);
            verdicts.add(Checker.check(o, faultName));
        }
        return Outcome.of(faultName, schedule.describe(), start, verdicts, events, timeline,
                (System.currentTimeMillis() - start) / 1000.0, observations);
    }

    /**
     * Says so within a second when the stack stopped under the runs. Then either waits for it to come
     * back (true once it has) or leaves the runs to be resumed by {@code ./lab up} and throws {@link StackGone}.
     */
    private boolean awaitStack(long start, Map<DeliveryMode, String> runs, Thread nemesisThread) throws InterruptedException {
        Optional<String> gone = stack.gone();
        if (gone.isEmpty()) {
            return false;
        }
        String stopped = String.format(java.util.Locale.ROOT, "the stack stopped at %.1f s (%s): `./lab up` recovers it with its data, "
                + "and the runs resume", (System.currentTimeMillis() - start) / 1000.0, gone.get());
        if (waitForStack.isZero()) {
            nemesisThread.interrupt();
            out.println();
            throw new StackGone(stopped, runs);
        }
        out.printf("%n%s%n", stopped);
        long deadline = System.currentTimeMillis() + waitForStack.toMillis();
        long nextWord = 0;
        while (stack.gone().isPresent()) {
            if (System.currentTimeMillis() > deadline) {
                nemesisThread.interrupt();
                throw new StackGone(stopped + "; it did not come back within --wait-for-stack " + waitForStack, runs);
            }
            if (System.currentTimeMillis() >= nextWord) {
                out.printf("waiting for the stack to come back (./lab up), %.0f s so far%n", (System.currentTimeMillis() - start) / 1000.0);
                nextWord = System.currentTimeMillis() + 10_000;
            }
            Thread.sleep(1000);
        }
        out.println("the stack is back: following the runs on");
        return true;
    }

    /** On a terminal the line redraws itself; in a log (CI) a line is written every 5 s instead. */
    private static final boolean TERMINAL = System.console() != null;
    private long lastLogged;

    private void progress(Map<DeliveryMode, String> runs, Map<String, Long> acked, Map<String, Long> applied,
            Workload workload, String fault, long start) {
        if (!TERMINAL && System.currentTimeMillis() - lastLogged < 5000) {
            return;
        }
        lastLogged = System.currentTimeMillis();
        StringBuilder line = new StringBuilder(TERMINAL ? "\r" : "");
        for (var e : runs.entrySet()) {
            line.append(String.format("%s produced %d applied %d/%d | ", e.getKey().wireName(),
                    acked.getOrDefault(e.getValue(), 0L), applied.getOrDefault(e.getValue(), 0L), workload.messages()));
        }
        line.append(String.format("fault: %-16s %5.1f s ", fault, (System.currentTimeMillis() - start) / 1000.0));
        if (!TERMINAL) {
            line.append('\n');
        }
        out.print(line);
        out.flush();
    }

}
