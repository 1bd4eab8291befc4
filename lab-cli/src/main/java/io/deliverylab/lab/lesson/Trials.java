package io.deliverylab.lab.lesson;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.run.Experiment;
import io.deliverylab.lab.stack.Stack;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs each {@link Trial} the lesson needs, once, on a live stack, and keeps what it measured: the
 * experiments' outcomes (verdicts, events, timelines) and, while the runs' rows are still at hand,
 * their end-to-end latency and rate.
 */
public final class Trials {

    /** Per run, what the database says about its speed: p50/p99 latency (ms) and the end-to-end rate. */
    public record Speed(double p50Millis, double p99Millis, double perSecond) {
    }

    /** The cost trial's measured rounds, each mode alone after a warm-up: enough for a spread. */
    static final int COST_ROUNDS = 2;

    /** What the last {@code ./lab bench} on this machine stored: its file and its throughput ratios (bench.json). */
    public record LastBench(java.nio.file.Path file, java.time.Instant at, Map<String, Double> ratios) {

        /** The first bench.json of {@code candidates} that exists and reads, if any. */
        public static Optional<LastBench> find(List<java.nio.file.Path> candidates) {
            for (java.nio.file.Path file : candidates) {
                try {
                    if (java.nio.file.Files.isRegularFile(file)) {
                        var ratios = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("ratios");
                        Map<String, Double> read = new java.util.LinkedHashMap<>();
                        ratios.fields().forEachRemaining(e -> read.put(e.getKey(), e.getValue().asDouble()));
                        if (!read.isEmpty()) {
                            return Optional.of(new LastBench(file, java.nio.file.Files.getLastModifiedTime(file).toInstant(), read));
                        }
                    }
                } catch (java.io.IOException e) {
                    // not a bench.json this lesson can read: the next candidate, or none
                }
            }
            return Optional.empty();
        }
    }

    /** Runs of one fault trial at most, while a run does not test what it is for ({@link TrialValidity}). */
    private static final int ATTEMPTS = 3;

    private final Stack stack;
    private final PrintStream out;
    private final long messages;
    private final int rate;
    private final long costMessages;
    private final Map<Trial, Experiment.Outcome> outcomes = new EnumMap<>(Trial.class);
    private final Map<Trial, Map<DeliveryMode, Speed>> speeds = new EnumMap<>(Trial.class);
    private final Map<DeliveryMode, List<Speed>> costRounds = new EnumMap<>(DeliveryMode.class);
    private List<java.nio.file.Path> benchFiles = List.of();
    /** Whether the stack ran the unmeasured warm-up that comes before the first fault trial. */
    private boolean warmedUp;

    /**
     * @param messages per mode in each fault trial, sent at {@code rate} per second
     * @param costMessages per mode in the cost trial, sent as fast as the mode goes
     */
    public Trials(Stack stack, PrintStream out, long messages, int rate, long costMessages) {
        this.stack = stack;
        this.out = out;
        this.messages = messages;
        this.rate = rate;
        this.costMessages = costMessages;
    }

    /** Where the last {@code ./lab bench} on this machine may have left its bench.json, in the order to look. */
    public Trials benchFiles(List<java.nio.file.Path> files) {
        this.benchFiles = List.copyOf(files);
        return this;
    }

    /** The last {@code ./lab bench} on this machine, if one left its figures where this lesson looks. */
    public Optional<LastBench> lastBench() {
        return LastBench.find(benchFiles);
    }

    /** Runs the trial unless it already ran. */
    public void ensure(Trial trial) throws InterruptedException {
        if (outcomes.containsKey(trial)) {
            return;
        }
        Experiment experiment = new Experiment(stack, out, Duration.ofSeconds(60));
        if (trial == Trial.COST) {
            // One mode at a time (on two cores, modes running together would measure each other), each warmed
            // up first (a cold JIT would be measured otherwise), then COST_ROUNDS rounds, interleaved, for a spread.
            List<Verdict> verdicts = new ArrayList<>();
            Experiment.Outcome last = null;
            for (DeliveryMode mode : trial.modes()) {
                out.printf("  %s alone, %,d messages to warm up (not measured)%n", mode.wireName(), costMessages / 3);
                verdicts.addAll(experiment.run(List.of(mode), new Experiment.Workload(costMessages / 3, 8, null),
                        trial.schedule(costMessages / 3), trial.faultName()).verdicts());
            }
            for (int round = 1; round <= COST_ROUNDS; round++) {
                for (DeliveryMode mode : trial.modes()) {
                    out.printf("  %s alone, %,d messages as fast as it goes (round %d of %d)%n", mode.wireName(), costMessages, round,
                            COST_ROUNDS);
                    last = experiment.run(List.of(mode), new Experiment.Workload(costMessages, 8, null), trial.schedule(costMessages),
                            trial.faultName());
                    verdicts.addAll(last.verdicts());
                    speedOf(last).forEach((m, sp) -> costRounds.computeIfAbsent(m, k -> new ArrayList<>()).add(sp));
                }
            }
            Map<DeliveryMode, Speed> speed = new EnumMap<>(DeliveryMode.class);
            costRounds.forEach((m, rounds) -> speed.put(m, new Speed(mean(rounds, Speed::p50Millis), mean(rounds, Speed::p99Millis),
                    mean(rounds, Speed::perSecond))));
            outcomes.put(trial, new Experiment.Outcome("none", "each mode alone at full speed", last.startedAt(), verdicts,
                    List.of(), List.of(), last.seconds(), List.of()));
            speeds.put(trial, speed);
            return;
        }
        if (!warmedUp) {
            experiment.warmUp(new Experiment.Workload(messages, 8, rate));
            warmedUp = true;
        }
        Experiment.Outcome outcome = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            outcome = experiment.run(trial.modes(), new Experiment.Workload(messages, 8, rate, trial.abortRatio(), trial.poison()),
                    trial.schedule(messages), trial.faultName());
            if (outcome.events().stream().anyMatch(e -> e.action().equals(Nemesis.FAILED) || e.action().equals(Nemesis.SKIPPED))) {
                throw new LabException("the fault of trial " + trial + " was not injected: " + outcome.events());
            }
            Optional<String> problem = TrialValidity.problem(trial, outcome, id -> ServiceClient.run(stack.info().producerUrl(), id));
            if (problem.isEmpty()) {
                break;
            }
            out.printf("-- this run did not test what it is for: %s%s%n", problem.get(),
                    attempt < ATTEMPTS ? "; running it again (" + (attempt + 1) + " of " + ATTEMPTS + ")" : "; judged as it is");
        }
        outcomes.put(trial, outcome);
        speeds.put(trial, speedOf(outcome));
    }

    private Map<DeliveryMode, Speed> speedOf(Experiment.Outcome outcome) {
        Map<DeliveryMode, Speed> speed = new EnumMap<>(DeliveryMode.class);
        LabDatabase db = new LabDatabase(stack.info());
        for (Verdict v : outcome.verdicts()) {
            try {
                double[] p = db.latencyPercentiles(v.runId());
                speed.put(v.mode(), new Speed(p[0], p[1], db.endToEndRate(v.runId())));
            } catch (SQLException e) {
                throw new LabException("cannot read run " + v.runId() + ": " + e.getMessage());
            }
        }
        return speed;
    }

    public Experiment.Outcome outcome(Trial trial) {
        Experiment.Outcome o = outcomes.get(trial);
        if (o == null) {
            throw new IllegalStateException(trial + " has not run");
        }
        return o;
    }

    /** The verdict of one mode in a trial. */
    public Verdict verdict(Trial trial, DeliveryMode mode) {
        return outcome(trial).verdicts().stream().filter(v -> v.mode() == mode).findFirst()
                .orElseThrow(() -> new IllegalStateException(trial + " did not run " + mode.wireName()));
    }

    private static double mean(List<Speed> rounds, java.util.function.ToDoubleFunction<Speed> f) {
        return rounds.stream().mapToDouble(f).average().orElse(0);
    }

    /** The cost trial's rounds of one mode, in the order measured. */
    public List<Speed> costRounds(DeliveryMode mode) {
        return costRounds.getOrDefault(mode, List.of());
    }

    public Speed speed(Trial trial, DeliveryMode mode) {
        return speeds.get(trial).get(mode);
    }

    /** Every trial that ran, in order. */
    public Map<Trial, Experiment.Outcome> outcomes() {
        return Map.copyOf(outcomes);
    }
}
