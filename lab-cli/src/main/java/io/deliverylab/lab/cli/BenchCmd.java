package io.deliverylab.lab.cli;

import io.deliverylab.lab.bench.Bench;
import io.deliverylab.lab.bench.Recovery;
import io.deliverylab.lab.bench.Sweep;
import io.deliverylab.lab.bench.SweepChart;
import io.deliverylab.stack.JvmFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure each mode's throughput and latency next to the raw Kafka and PostgreSQL limits; writes bench.json.",
                "Brokers and services run with the throughput JVM flags (-XX:+UseParallelGC -XX:+AlwaysPreTouch, a fixed heap, full JIT); "
                        + "DELIVERYLAB_JVM_FLAGS=startup, or flags of your own, measure others."})
final class BenchCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    // 300,000: runs of 60,000 lasted 1.1-1.9 s, so a run's ramp-up and tail were most of it, and at-least-once's
    // three repeats still spread by 12 % after warm-up (./lab bench, 2 consumers).
    @Option(names = "--messages", defaultValue = "300000", description = "Messages per mode for throughput (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--fixed-rate", defaultValue = "1000", description = "Rate every mode sustains, for latency (default: ${DEFAULT-VALUE}/s).")
    int fixedRate;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "How long the latency runs last (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--raw-records", defaultValue = "1000000", description = "Records per ProducerPerformance run; "
            + "runs of 300,000 (3 s here) spread by 19 to 33 %% after warm-up (default: ${DEFAULT-VALUE}).")
    long rawRecords;

    @Option(names = "--repeat", defaultValue = "3", description = "How many times each throughput figure is measured, "
            + "after a warm-up run of every mode; the median is reported with the spread (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--smoke", description = "A few seconds of everything, to check that the bench works.")
    boolean smoke;

    @Option(names = "--out", description = "Where to write bench.json (default: <work-dir>/bench/bench.json).")
    Path out;

    @CommandLine.Mixin
    StackOptions stackOptions;

    @Option(names = "--consumer-property", paramLabel = "KEY=VALUE", description = "A configuration property for every "
            + "consumer-service instance only, e.g. mp.messaging.incoming.at-least-once.max.poll.records=2000 (repeatable).")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Option(names = "--producer-property", paramLabel = "KEY=VALUE", description = "A configuration property for the "
            + "producer-service only, e.g. deliverylab.producer.transaction-pacing=PT0.05S (repeatable).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--sweep", description = "Instead: each mode at every --sweep-sizes (throughput, p99, RSS, CPU per 100k), "
            + "the checker's cost at the largest; bench.json and a chart in bench.html.")
    boolean sweep;

    @Option(names = "--sweep-sizes", split = ",", defaultValue = "10000,100000,1000000",
            description = "Messages per mode for --sweep (default: ${DEFAULT-VALUE}; --smoke: 1000,3000).")
    List<Long> sweepSizes;

    @Option(names = "--memory", description = "Instead: the sweep at 100,000 and 1,000,000 messages per mode on a stack with the "
            + "lab's JVM flags (what ./lab up, the demo and the lesson run), and whether each service's RSS stays under "
            + Sweep.RSS_CEILING_MB + " MB after the 1,000,000-message runs.")
    boolean memory;

    @Option(names = "--faults", arity = "0..1", split = ",", fallbackValue = "all", paramLabel = "KIND",
            description = "Instead: the recovery table, on a stack with the lab's JVM flags: per fault kind (all, or some of "
                    + "kill-leader, pause-leader, kill-brokers:n=2, partition-leader, kill-postgres), how long partitions applied "
                    + "nothing and when every one applied again, from the fault's start and from its heal; writes recovery.json.")
    List<String> faults;

    @Override
    public Integer call() throws Exception {
        stackOptions.check();
        Bench.Settings settings = smoke ? new Bench.Settings(2000, 200, 3, 20000, 200, 2, 1)
                : new Bench.Settings(messages, fixedRate, latencySeconds, rawRecords, 200, repeats, Bench.Settings.WARM_UP_RUNS);
        if (settings.messages() <= 0 || settings.fixedRate() <= 0 || settings.latencySeconds() <= 0 || settings.rawRecords() <= 0
                || settings.repeats() <= 0) {
            throw new IllegalArgumentException("every bench size must be greater than 0");
        }
        if (faults != null) {
            return recovery(smoke ? 200 : fixedRate);
        }
        Path file = out != null ? out : Lab.abs(lab.workDir).resolve("bench/bench.json");
        if (sweep && memory) {
            throw new IllegalArgumentException("--sweep and --memory are two different benches: give one");
        }
        if (sweep || memory) {
            List<Long> sizes = smoke ? List.of(1000L, 3000L) : memory ? List.of(100_000L, 1_000_000L)
                    : sweepSizes.stream().sorted().distinct().toList();
            if (sizes.isEmpty() || sizes.get(0) <= 0) {
                throw new IllegalArgumentException("--sweep-sizes must be numbers greater than 0");
            }
            // --memory measures the footprint a user of the lab gets, so with the lab's flags, not the bench's.
            JvmFlags flags = memory ? JvmFlags.forLab() : JvmFlags.forBench();
            return LocalStacks.withLocalStack(lab, "bench", Duration.ofSeconds(1), 1, flags,
                    stack -> stack.serviceProperties(consumerProperties, producerProperties), stack -> {
                Sweep.Result result = new Sweep(stack, Lab.OUT).run(sizes);
                Sweep.print(result, Lab.OUT);
                if (memory) {
                    Sweep.printRssCeiling(result, flags, Lab.OUT);
                }
                Bench.write(result, file);
                Path chart = file.resolveSibling("bench.html");
                Files.writeString(chart, SweepChart.html(result));
                Lab.OUT.println("bench.json: " + Lab.abs(file) + ", chart: " + Lab.abs(chart));
                return 0;
            });
        }
        return LocalStacks.withLocalStack(lab, "bench", Duration.ofSeconds(1), stackOptions.consumers, JvmFlags.forBench(),
                stack -> stackOptions.configure(stack).serviceProperties(consumerProperties, producerProperties),
                stack -> {
            Bench.Result result = new Bench(stack, Lab.OUT).run(settings);
            Bench.print(result, Lab.OUT);
            Bench.write(result, file);
            Lab.OUT.println("bench.json: " + Lab.abs(file));
            return 0;
        });
    }

    /** The recovery table: the lab's JVM flags, since a restarted broker or service starts with them in every run. */
    private int recovery(int rate) throws Exception {
        List<String> kinds = faults.contains("all") ? Recovery.FAULTS : faults;
        for (String kind : kinds) {
            if (!Recovery.FAULTS.contains(kind)) {
                throw new IllegalArgumentException("--faults: unknown kind '" + kind + "'; one of all, " + String.join(", ", Recovery.FAULTS));
            }
        }
        Path file = out != null ? out : Lab.abs(lab.workDir).resolve("bench/recovery.json");
        return LocalStacks.withLocalStack(lab, "bench", Duration.ofSeconds(1), stackOptions.consumers,
                stack -> stackOptions.configure(stack).serviceProperties(consumerProperties, producerProperties), stack -> {
            Recovery.Result result = new Recovery(stack, Lab.OUT).run(kinds, rate);
            Recovery.print(result, Lab.OUT);
            Bench.write(result, file);
            Lab.OUT.println("recovery.json: " + Lab.abs(file));
            return 0;
        });
    }
}
