package io.deliverylab.lab;

import io.deliverylab.contract.DeliveryMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab}: the local stack, experiments under faults, verdicts and reports. */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "deliverylab 1.0",
        description = "Kafka delivery guarantees under real kills: at-most-once, at-least-once, exactly-once.",
        subcommands = {Lab.Up.class, Lab.Down.class, Lab.Status.class, Lab.Run.class, Lab.Demo.class, Lab.ReportCmd.class, Lab.CheckCmd.class,
                Lab.BenchCmd.class, ImagesCmd.class, Lab.Supervise.class})
public final class Lab implements Callable<Integer> {

    /** Where the verbs print; a test may point it elsewhere. */
    static PrintStream OUT = System.out;

    @Option(names = "--work-dir", defaultValue = "${env:DELIVERYLAB_WORK_DIR:-.lab}", 
            description = "Where the stack keeps data, logs and results (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Override
    public Integer call() {
        CommandLine.usage(this, OUT);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree with the lab's converters and error handling (main, and tests that parse arguments). */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Lab());
        cli.registerConverter(Duration.class, value -> {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof LabException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                if (e instanceof IllegalArgumentException) {
                    cmd.usage(cmd.getErr());
                }
                return 2;
            }
            cmd.getErr().println("error: " + e);
            return 3;
        });
        return cli;
    }

    static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** Shared workload and checking options of {@code run} and {@code demo}. */
    static class WorkloadOptions {
        @Option(names = "--messages", defaultValue = "3000", description = "Messages per mode (default: ${DEFAULT-VALUE}).")
        long messages;

        @Option(names = "--keys", defaultValue = "8", description = "Distinct account keys (default: ${DEFAULT-VALUE}).")
        int keys;

        @Option(names = "--rate", defaultValue = "300", description = "Messages per second per mode, 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--seed", defaultValue = "42", description = "Seed for random fault schedules (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--settle-timeout", defaultValue = "45s", description = "How long to wait for the system to settle, e.g. 500ms, 20s, 2m or PT20S (default: ${DEFAULT-VALUE}).")
        Duration settleTimeout;

        @Option(names = "--mode", split = ",", description = "Modes to run (default: all three).",
                converter = ModeConverter.class)
        List<DeliveryMode> modes;

        Experiment.Workload workload() {
            if (messages <= 0 || keys <= 0 || rate < 0) {
                throw new IllegalArgumentException("--messages and --keys must be > 0 and --rate >= 0");
            }
            return new Experiment.Workload(messages, keys, rate == 0 ? null : rate);
        }

        List<DeliveryMode> modes() {
            return modes == null || modes.isEmpty() ? List.of(DeliveryMode.values()) : modes;
        }

        /**
         * A scenario name (kill-producer, pause-consumer, kill-brokers:n=2) means that fault at 30 % of the
         * run; anything with an @ is a full spec.
         */
        FaultSchedule schedule(String scenario) {
            String s = scenario.trim();
            java.util.regex.Matcher named = java.util.regex.Pattern.compile("((?:kill|pause|partition)-[a-z]+(?:-\\d+)?)(:.*)?").matcher(s);
            if (!s.contains("@") && !s.contains(",") && named.matches()) {
                s = named.group(1) + "@" + Math.max(1, messages * 3 / 10) + (named.group(2) == null ? "" : named.group(2));
            }
            return FaultSchedule.parse(s, messages, seed);
        }
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<DeliveryMode> {
        @Override
        public DeliveryMode convert(String value) {
            try {
                return DeliveryMode.fromWire(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static Path resultsDir(Path workDir, String out) {
        return out != null ? Path.of(out)
                : workDir.resolve("results").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    static int finish(List<Experiment.Outcome> outcomes, Path dir) {
        OUT.println();
        Report.table(outcomes, OUT);
        Report.write(outcomes, dir);
        OUT.println("results: " + abs(dir.resolve("results.json")) + ", report: " + abs(dir.resolve("report.html")));
        List<FaultEvent> failed = outcomes.stream().flatMap(o -> o.events().stream())
                .filter(e -> e.action().equals(Nemesis.FAILED)).toList();
        if (!failed.isEmpty()) {
            failed.forEach(e -> System.err.println("error: a fault was not injected, so its rows prove nothing: " + e.victim()));
            return 2;
        }
        return Report.verdicts(outcomes).stream().allMatch(Verdict::promiseKept) ? 0 : 1;
    }

    static List<Experiment.Outcome> runMatrix(StackControl stack, WorkloadOptions w, List<String> scenarios) throws InterruptedException {
        List<Experiment.Outcome> outcomes = new ArrayList<>();
        Experiment experiment = new Experiment(stack, OUT, w.settleTimeout);
        List<FaultSchedule> schedules = scenarios.stream().map(w::schedule).toList(); // all parsed before anything runs
        for (int i = 0; i < schedules.size(); i++) {
            FaultSchedule schedule = schedules.get(i);
            OUT.printf("%n== [%d/%d] %s: %s, %d messages per mode at %s/s%n", i + 1, schedules.size(), scenarios.get(i),
                    schedule.describe(), w.messages, w.rate == 0 ? "max" : w.rate);
            Experiment.Outcome outcome = experiment.run(w.modes(), w.workload(), schedule, scenarios.get(i));
            stack.publish(outcome);
            outcomes.add(outcome);
        }
        return outcomes;
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the local stack in the background and print where it is.")
    static final class Up implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @Option(names = "--consumers", defaultValue = "2", description = "consumer-service instances, one group per mode (default: ${DEFAULT-VALUE}).")
        int consumers;

        @Option(names = "--restart-delay", defaultValue = "1s", description = "Delay before a killed service is restarted, e.g. 500ms, 2s or PT2S (default: ${DEFAULT-VALUE}).")
        Duration restartDelay;

        @Override
        public Integer call() throws Exception {
            Path work = abs(lab.workDir);
            if (Files.exists(StackInfo.file(work))) {
                StackInfo info = StackInfo.read(work);
                if (supervisorAlive(info)) {
                    throw new LabException("a stack is already running in " + work + " (./lab status, ./lab down)");
                }
                OUT.println("the last stack in " + work + " was not stopped cleanly (supervisor pid " + info.supervisorPid()
                        + " is gone): recovering it with its data");
                Files.delete(StackInfo.file(work));
            }
            Files.createDirectories(work.resolve("logs"));
            List<String> cmd = new ArrayList<>(List.of("setsid", io.deliverylab.stack.JavaProcess.javaExecutable(),
                    "-Xmx384m", "-cp", System.getProperty("java.class.path")));
            if (System.getProperty("deliverylab.home") != null) {
                cmd.add("-Ddeliverylab.home=" + System.getProperty("deliverylab.home"));
            }
            cmd.addAll(List.of(Lab.class.getName(), "--work-dir", work.toString(), "supervise", "--restart-delay", Durations.format(restartDelay),
                    "--consumers", Integer.toString(consumers)));
            Path log = work.resolve("logs/supervisor.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            OUT.println("starting the stack in " + work + " (log: " + log + ")");
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!Files.exists(StackInfo.file(work))) {
                if (!p.isAlive()) {
                    throw new LabException("the stack did not start: " + failure(log) + "\n       supervisor log: " + log);
                }
                if (System.nanoTime() > deadline) {
                    p.destroy();
                    throw new LabException("the stack did not start within 4 minutes; see " + log);
                }
                Thread.sleep(250);
            }
            Status.print(StackInfo.read(work));
            return 0;
        }
    }

    /** The supervisor's one-line reason ("error: ..."), without the stack traces that may follow in its log. */
    static String failure(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("error: ")) {
                    return lines.get(i).substring("error: ".length());
                }
            }
            return "the supervisor exited without saying why";
        } catch (IOException e) {
            return "no supervisor log (" + e.getMessage() + ")";
        }
    }

    /**
     * True if the recorded supervisor still runs. After a crash its pid may belong to another
     * process: the process must also have started when the supervisor did.
     */
    static boolean supervisorAlive(StackInfo info) {
        return ProcessHandle.of(info.supervisorPid()).filter(ProcessHandle::isAlive)
                .filter(h -> info.supervisorStartedAt() == 0 || h.info().startInstant()
                        .map(t -> Math.abs(t.toEpochMilli() - info.supervisorStartedAt()) < 2000).orElse(true))
                .isPresent();
    }

    @Command(name = "supervise", hidden = true, description = "Run the stack in the foreground (used by up).")
    static final class Supervise implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @Option(names = "--restart-delay", defaultValue = "1s")
        Duration restartDelay;

        @Option(names = "--consumers", defaultValue = "2")
        int consumers;

        @Override
        public Integer call() throws Exception {
            Path work = abs(lab.workDir);
            LocalStack stack = new LocalStack(work, restartDelay, consumers, line -> OUT.println(java.time.Instant.now() + " " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stack.close();
                StackInfo.file(work).toFile().delete();
            }));
            try {
                stack.start(ProcessHandle.current().pid());
            } catch (RuntimeException e) {
                e.printStackTrace(System.out); // for the supervisor log only; ./lab up shows the one line below
                throw new LabException(e instanceof LabException ? e.getMessage() : oneLine(e));
            }
            stack.info().write();
            stack.control().awaitShutdown();
            return 0; // the shutdown hook stops every child
        }
    }

    /** The message that names the cause (the stack's own start failures carry it), on one line. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        return message.lines().findFirst().orElse(message);
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local stack and every process it started.")
    static final class Down implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @Override
        public Integer call() throws Exception {
            Path work = abs(lab.workDir);
            StackInfo info = StackInfo.read(work);
            if (supervisorAlive(info)) {
                var handle = ProcessHandle.of(info.supervisorPid()).orElseThrow();
                try {
                    new ControlServer.Remote(info).shutdown();
                } catch (RuntimeException e) {
                    handle.destroy();
                }
                try {
                    handle.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    handle.destroyForcibly();
                }
            }
            // Whatever an unclean stop left running (or a supervisor that had to be killed) goes too.
            LocalStack.stopLeftovers(work, OUT::println);
            Files.deleteIfExists(StackInfo.file(work));
            OUT.println("stack in " + work + " stopped");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the local stack's endpoints and health.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @Override
        public Integer call() {
            StackInfo info = StackInfo.read(abs(lab.workDir));
            if (!supervisorAlive(info)) {
                OUT.println("the stack in " + info.workDir() + " is DOWN: it was not stopped cleanly (supervisor pid "
                        + info.supervisorPid() + " is gone), so its addresses are stale.");
                OUT.println("./lab up starts it again with its data (unfinished runs resume); ./lab down clears what is left.");
                return 1;
            }
            print(info);
            OUT.println("supervisor: running (pid " + info.supervisorPid() + ")");
            return 0;
        }

        static void print(StackInfo info) {
            OUT.println("work dir:  " + info.workDir());
            OUT.println("kafka:     " + info.bootstrapServers());
            OUT.println("postgres:  " + info.jdbcUrl());
            OUT.println("producer:  " + info.producerUrl() + "  (metrics " + info.producerUrl() + "/q/metrics)");
            for (String url : info.consumerUrls()) {
                OUT.println("consumer:  " + url + "  (metrics " + url + "/q/metrics)");
            }
            OUT.println("lab:       http://127.0.0.1:" + info.controlPort() + "/metrics  (the checker's verdicts)");
            OUT.println("prometheus: " + (info.prometheusUrl() == null
                    ? "not installed (apt-get install prometheus to get a real scrape)" : info.prometheusUrl()));
            OUT.println("logs:      " + Path.of(info.workDir()).resolve("logs"));
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "One experiment against the running stack (./lab up first).")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @CommandLine.Mixin
        WorkloadOptionsMixin options;

        @Option(names = "--faults", defaultValue = "none", description = "Fault schedule: none, a scenario name such as kill-producer, "
                + "a spec like kill-leader@1000:for=5s,pause-leader@6s:for=8s, or random:N; several experiments "
                + "one after another are separated by ';' (default: ${DEFAULT-VALUE}).")
        String faults;

        @Option(names = "--faults-file", description = "Read the fault schedule spec from this file instead.")
        Path faultsFile;

        @Option(names = "--out", description = "Results directory (default: <work-dir>/results/<time>).")
        String out;

        @Option(names = "--target", defaultValue = "local", description = "local (the stack of ./lab up) or k8s "
                + "(the stack of k8s/ on the cluster of your kubeconfig, or in-cluster) (default: ${DEFAULT-VALUE}).")
        String target;

        @Option(names = "--namespace", defaultValue = "deliverylab", description = "Kubernetes namespace for --target k8s (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Override
        public Integer call() throws Exception {
            String spec = faultsFile != null ? Files.readString(faultsFile).replace('\n', ',').replaceAll(",+$", "") : faults;
            List<String> scenarios = List.of(spec.split(";"));
            scenarios.forEach(options::schedule); // reject a bad schedule before anything runs
            return switch (target) {
                case "local" -> finish(runMatrix(new ControlServer.Remote(StackInfo.read(abs(lab.workDir))), options, scenarios),
                        resultsDir(abs(lab.workDir), out));
                case "k8s" -> {
                    try (KubernetesStack stack = new KubernetesStack(namespace)) {
                        yield finish(runMatrix(stack, options, scenarios), resultsDir(abs(lab.workDir), out));
                    }
                }
                default -> throw new IllegalArgumentException("--target must be local or k8s, not " + target);
            };
        }
    }

    /** picocli mixin wrapper of {@link WorkloadOptions}. */
    static final class WorkloadOptionsMixin extends WorkloadOptions {
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start the stack, run every mode under each fault scenario, write the report, stop the stack.")
    static final class Demo implements Callable<Integer> {
        @CommandLine.ParentCommand
        Lab lab;

        @CommandLine.Mixin
        WorkloadOptionsMixin options;

        @Option(names = "--scenarios", split = ",", defaultValue = "none,kill-producer,kill-consumer,kill-leader,pause-leader,pause-consumer,pause-producer",
                description = "Fault scenarios, in order (default: ${DEFAULT-VALUE}); for schedules of several faults use ./lab run --faults.")
        List<String> scenarios;

        @Option(names = "--consumers", defaultValue = "2", description = "consumer-service instances, one group per mode (default: ${DEFAULT-VALUE}).")
        int consumers;

        @Option(names = "--restart-delay", defaultValue = "1s", description = "Delay before a killed service is restarted, e.g. 500ms, 2s or PT2S (default: ${DEFAULT-VALUE}).")
        Duration restartDelay;

        @Option(names = "--out", description = "Results directory (default: <work-dir>/results/<time>).")
        String out;

        @Override
        public Integer call() throws Exception {
            scenarios.forEach(options::schedule); // reject a bad scenario before starting anything
            long t0 = System.nanoTime();
            return withLocalStack(lab, "demo", restartDelay, consumers, stack -> {
                int code = finish(runMatrix(stack, options, scenarios), resultsDir(abs(lab.workDir), out));
                OUT.printf("demo took %.0f s%n", (System.nanoTime() - t0) / 1e9);
                return code;
            });
        }
    }

    /** Work with an in-process stack, in its own work directory; Ctrl-C or a failure stops every child by pid. */
    static int withLocalStack(Lab lab, String name, Duration restartDelay, int consumers, StackWork work) throws Exception {
        Path dir = abs(lab.workDir).resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        OUT.println(name + " work dir: " + dir);
        try (LocalStack stack = new LocalStack(dir, restartDelay, consumers, line -> OUT.println("[stack] " + line))) {
            Thread hook = new Thread(stack::close);
            Runtime.getRuntime().addShutdownHook(hook);
            stack.start(ProcessHandle.current().pid());
            int code = work.run(stack);
            Runtime.getRuntime().removeShutdownHook(hook);
            return code;
        }
    }

    /** What {@link #withLocalStack} does with the stack; returns the exit code. */
    interface StackWork {
        int run(LocalStack stack) throws Exception;
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Measure each mode's throughput and latency next to the raw Kafka and PostgreSQL limits; writes bench.json.")
    static final class BenchCmd implements Callable<Integer> {
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
            Path file = out != null ? out : abs(lab.workDir).resolve("bench/bench.json");
            // One consumer: the figures stay comparable with earlier benches (a group of two is a separate question).
            return withLocalStack(lab, "bench", Duration.ofSeconds(1), 1, stack -> {
                Bench.Result result = new Bench(stack, OUT).run(settings);
                Bench.print(result, OUT);
                Bench.write(result, file);
                OUT.println("bench.json: " + abs(file));
                return 0;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Judge a stored run again from its raw observations (observations.json), without a stack; "
                    + "says whether the verdicts equal the stored ones.")
    static final class CheckCmd implements Callable<Integer> {
        @Option(names = "--results", required = true, description = "A results directory (holds results.json and observations.json).")
        Path results;

        @Override
        public Integer call() {
            List<Experiment.Outcome> stored = Report.read(results);
            List<Experiment.Outcome> again = Report.rejudge(results);
            Report.table(again, OUT);
            List<Verdict> before = Report.verdicts(stored);
            List<Verdict> after = Report.verdicts(again);
            int differ = 0;
            for (int i = 0; i < after.size(); i++) {
                if (!after.get(i).equals(before.get(i))) {
                    differ++;
                    OUT.println("differs: " + after.get(i).mode() + " / " + after.get(i).fault() + ": stored "
                            + (before.get(i).promiseKept() ? "kept" : "broken") + " (" + before.get(i).explanation() + "), now "
                            + (after.get(i).promiseKept() ? "kept" : "broken") + " (" + after.get(i).explanation() + ")");
                }
            }
            OUT.println(differ == 0 ? "re-judged " + after.size() + " run(s): the same verdicts as stored"
                    : differ + " of " + after.size() + " verdict(s) differ from the stored ones");
            return differ > 0 || !after.stream().allMatch(Verdict::promiseKept) ? 1 : 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, description = "Re-render the table and report.html from saved results.")
    static final class ReportCmd implements Callable<Integer> {
        @Option(names = "--results", required = true, description = "A results directory (holds results.json).")
        Path results;

        @Override
        public Integer call() {
            List<Experiment.Outcome> outcomes = Report.read(results);
            Report.table(outcomes, OUT);
            Report.write(outcomes, results);
            OUT.println("report: " + abs(results.resolve("report.html")));
            return Report.verdicts(outcomes).stream().allMatch(Verdict::promiseKept) ? 0 : 1;
        }
    }

}
