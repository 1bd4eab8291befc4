package io.deliverylab.lab.cli;

import io.deliverylab.lab.bench.Bench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure each mode's throughput and latency next to the raw Kafka and PostgreSQL limits; writes bench.json.")
final class BenchCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Option(names = "--messages", defaultValue = "60000", description = "Messages per mode for throughput (default: ${DEFAULT-VALUE}).")
    long messages;

    @Option(names = "--fixed-rate", defaultValue = "1000", description = "Rate every mode sustains, for latency (default: ${DEFAULT-VALUE}/s).")
    int fixedRate;

    @Option(names = "--latency-seconds", defaultValue = "15", description = "How long the latency runs last (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--raw-records", defaultValue = "300000", description = "Records per ProducerPerformance run (default: ${DEFAULT-VALUE}).")
    long rawRecords;

    @Option(names = "--smoke", description = "A few seconds of everything, to check that the bench works.")
    boolean smoke;

    @Option(names = "--out", description = "Where to write bench.json (default: <work-dir>/bench/bench.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Bench.Settings settings = smoke ? new Bench.Settings(2000, 200, 3, 20000, 200)
                : new Bench.Settings(messages, fixedRate, latencySeconds, rawRecords, 200);
        if (settings.messages() <= 0 || settings.fixedRate() <= 0 || settings.latencySeconds() <= 0 || settings.rawRecords() <= 0) {
            throw new IllegalArgumentException("every bench size must be greater than 0");
        }
        Path file = out != null ? out : Lab.abs(lab.workDir).resolve("bench/bench.json");
        // One consumer: the figures stay comparable with earlier benches (a group of two is a separate question).
        return LocalStacks.withLocalStack(lab, "bench", Duration.ofSeconds(1), 1, stack -> {
            Bench.Result result = new Bench(stack, Lab.OUT).run(settings);
            Bench.print(result, Lab.OUT);
            Bench.write(result, file);
            Lab.OUT.println("bench.json: " + Lab.abs(file));
            return 0;
        });
    }
}
