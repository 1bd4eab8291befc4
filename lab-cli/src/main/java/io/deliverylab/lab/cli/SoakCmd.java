package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.RemoteResults;
import io.deliverylab.lab.run.Experiment;
import io.deliverylab.lab.run.StackGone;
import io.deliverylab.lab.soak.Leaks;
import io.deliverylab.lab.soak.ServiceSample;
import io.deliverylab.lab.soak.Soak;
import io.deliverylab.lab.stack.ControlServer;
import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "soak", mixinStandardHelpOptions = true, description = "A long random run against the running stack (./lab up "
        + "first), for overnight use: every mode, random faults drawn all along, judged window by window, each service's "
        + "resources sampled for leaks. Without --rate it sends 3000 messages per second per mode. Ctrl-C stops it and "
        + "still writes the report.")
final class SoakCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    WorkloadOptions.Mixin options;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Soak for this long, e.g. 8h (instead of --messages).")
    Duration duration;

    @Option(names = "--faults", defaultValue = "random:30", paramLabel = "random:N",
            description = "N random faults, spread evenly over the windows (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--window-messages", defaultValue = "100000", description = "A window ends after this many messages per mode (default: ${DEFAULT-VALUE}).")
    long windowMessages;

    @Option(names = "--window-time", defaultValue = "10m", description = "... or after this long at the rate (default: ${DEFAULT-VALUE}).")
    Duration windowTime;

    @Option(names = "--out", description = "Results directory (default: <work-dir>/results/<time>).")
    String out;

    /** Without --rate, a soak sends at this rate per mode: ten times a run's default, well below what the bench measures. */
    static final int DEFAULT_RATE = 3000;

    @Override
    public Integer call() throws Exception {
        Soak.Plan plan = plan();
        StackInfo info = StackInfo.read(Lab.abs(lab.workDir));
        ControlServer.Remote supervisor = new ControlServer.Remote(info);
        Path dir = Matrix.resultsDir(Lab.abs(lab.workDir), out);
        Soak soak = new Soak(supervisor, new Experiment(supervisor, Lab.OUT, options.settleTimeout), new RemoteResults(supervisor), Lab.OUT,
                dir);
        Lab.OUT.printf(Locale.ROOT, "soak: %s per mode at %s/s, windows of %d messages per mode, %d random faults (seed %d); results in %s%n",
                plan.messages() > 0 ? Long.toString(plan.messages()) : "for " + plan.duration(), plan.rate() == null ? "max" : plan.rate(),
                plan.windowSize(), plan.faults(), plan.seed(), Lab.abs(dir));
        AtomicBoolean finished = new AtomicBoolean();
        Thread onCtrlC = new Thread(() -> {
            if (!finished.get()) {
                System.err.println("\nsoak stopped before its end (Ctrl-C, or an error above): writing the report of the "
                        + soak.windows().size() + " window(s) finished");
                report(soak, dir);
            }
        }, "soak-report");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            soak.run(plan);
        } catch (StackGone gone) {
            System.err.println(gone.getMessage() + "; the soak stops here");
            finished.set(true);
            report(soak, dir);
            return 3;
        }
        finished.set(true);
        return report(soak, dir);
    }

    Soak.Plan plan() {
        boolean byMessages = spec.commandLine().getParseResult().hasMatchedOption("--messages");
        if (duration != null && byMessages) {
            throw new IllegalArgumentException("give --messages or --duration, not both");
        }
        if (duration != null && (duration.toSeconds() < 1 || duration.compareTo(Duration.ofDays(7)) > 0)) {
            throw new IllegalArgumentException("--duration must be between 1s and 7d, was " + duration);
        }
        if (!faults.matches("random:\\d{1,4}")) {
            throw new IllegalArgumentException("--faults must be random:N, was '" + faults + "'");
        }
        if (windowMessages < 1 || windowTime.toSeconds() < 1) {
            throw new IllegalArgumentException("--window-messages and --window-time must be positive");
        }
        boolean rateGiven = spec.commandLine().getParseResult().hasMatchedOption("--rate");
        Integer rate = !rateGiven ? Integer.valueOf(DEFAULT_RATE) : options.rate == 0 ? null : Integer.valueOf(options.rate);
        Experiment.Workload check = options.workload(); // the shared checks of --messages, --keys and --rate
        return new Soak.Plan(duration != null ? 0 : check.messages(), duration, windowMessages, windowTime,
                Integer.parseInt(faults.substring("random:".length())), options.seed, options.keys, rate, options.modes());
    }

    /** The table and report of every window, soak.json with the windows and samples, the leaks; the exit code. */
    private int report(Soak soak, Path dir) {
        if (soak.outcomes().isEmpty()) {
            Lab.OUT.println("no window finished: nothing to report");
            return 2;
        }
        int code = Matrix.finish(soak.outcomes(), dir, options.strictFaults);
        List<ServiceSample> samples = soak.samples();
        List<String> leaks = Leaks.find(samples);
        Lab.OUT.println();
        Lab.OUT.println("service      window  pid       RSS MB  heap MB  open files  threads");
        samples.stream().filter(s -> s.window() == 0 || s.window() == soak.windows().size()).forEach(s -> Lab.OUT.printf(Locale.ROOT,
                "%-12s %6d  %-8d %7d  %7d  %10d  %7d%n", s.service(), s.window(), s.pid(), s.rssBytes() >> 20, s.heapBytes() >> 20,
                s.openFiles(), s.threads()));
        leaks.forEach(l -> System.err.println("leak: " + l));
        if (leaks.isEmpty()) {
            Lab.OUT.println("no resource grew without levelling off" + (soak.windows().size() < 6 ? " (too few windows to judge a trend)" : ""));
        }
        try {
            Files.createDirectories(dir);
            io.deliverylab.lab.stack.StackInfo.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("soak.json").toFile(),
                    Map.of("windows", soak.windows(), "samples", samples, "leaks", leaks));
        } catch (java.io.IOException e) {
            System.err.println("cannot write soak.json: " + e.getMessage());
        }
        Lab.OUT.println("soak: " + Lab.abs(dir.resolve("soak.json")));
        return code != 0 ? code : leaks.isEmpty() ? 0 : 1;
    }
}
