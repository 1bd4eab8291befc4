package io.deliverylab.lab.cli;

import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.Observer;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.RunState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.JavaProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A machine that loses power: every process of a stack started by {@code ./lab up} (supervisor,
 * brokers, PostgreSQL, services, Prometheus) SIGKILLed at once, three times in a row, while a run of
 * each mode is under way. {@code ./lab up} must come back on the first call each time, the runs
 * must finish by themselves, and each mode must keep its promise. Then a start that cannot work
 * (a broken PostgreSQL configuration) must say why in one line, with exit code 2.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class CrashRecoveryIT {

    private static final Path WORK = Path.of("target").toAbsolutePath().resolve("crash-it");
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    /**
     * 240 s of schedule at {@link #RATE}. A resumed run sends at once whatever fell due while the
     * stack was down (about 45 s per cut and {@code ./lab up} here), so a shorter run finished right
     * after the first recovery and the next cut found nothing under way.
     */
    private static final long MESSAGES = 36_000;
    private static final int RATE = 150;

    record Result(int exit, String output) {
    }

    static Result lab(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "-Ddeliverylab.home=" + HOME,
                "-cp", System.getProperty("java.class.path"), Lab.class.getName(), "--work-dir", WORK.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        System.out.println("$ ./lab " + String.join(" ", args) + "  -> exit " + p.exitValue() + "\n" + out);
        return new Result(p.exitValue(), out);
    }

    /** SIGKILL, all at once, every process of the stack: the supervisor and everything that names the work dir. */
    static int powerCut() throws Exception {
        StackInfo info = StackInfo.read(WORK);
        List<String> pids = new ArrayList<>();
        pids.add(Long.toString(info.supervisorPid()));
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .map(c -> c.contains(WORK + "/") || c.contains("deliverylab.stack.dir=" + WORK)).orElse(false))
                .forEach(h -> pids.add(Long.toString(h.pid())));
        List<String> kill = new ArrayList<>(List.of("kill", "-KILL"));
        kill.addAll(pids);
        new ProcessBuilder(kill).inheritIO().start().waitFor();
        for (String pid : pids) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> h.onExit().join());
        }
        return pids.size();
    }

    @AfterAll
    static void down() throws Exception {
        lab("down");
    }

    @Test
    void upComesBackOnTheFirstCallAfterThreePowerCutsAndEveryModeKeepsItsPromise() throws Exception {
        if (Files.exists(StackInfo.file(WORK))) {
            lab("down"); // never delete the work dir of a stack that still runs
        }
        deleteRecursively(WORK);
        assertThat(lab("up").exit()).isZero();
        StackInfo info = StackInfo.read(WORK);
        Map<DeliveryMode, String> runs = new LinkedHashMap<>();
        for (DeliveryMode mode : DeliveryMode.guarantees()) {
            runs.put(mode, ServiceClient.startRun(info, mode, MESSAGES, 8, RATE));
        }
        Map<String, Long> progress = new LinkedHashMap<>();
        for (int crash = 1; crash <= 3; crash++) {
            StackInfo before = StackInfo.read(WORK);
            // Each cut lands mid-run: every run's checkpointed position (which, unlike the acknowledged
            // count, carries over a restart) has moved on since the last one by 300 messages.
            int cut = crash;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> runs.values().stream()
                    .allMatch(id -> ServiceClient.run(before.producerUrl(), id).map(r -> {
                        if (r.state() == RunState.COMPLETED) {
                            throw new AssertionError("run " + id + " completed before power cut " + cut + ": nothing under way to cut");
                        }
                        return r.nextSeq() >= progress.getOrDefault(id, 0L) + 300;
                    }).orElse(false)));
            runs.values().forEach(id -> ServiceClient.run(before.producerUrl(), id)
                    .ifPresent(r -> progress.put(id, r.nextSeq())));
            int killed = powerCut();
            System.out.println("power cut " + crash + ": " + killed + " processes SIGKILLed at once");
            Result status = lab("status");
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.output()).contains("DOWN").contains("not stopped cleanly");
            Result up = lab("up");
            assertThat(up.exit()).as("./lab up after power cut " + crash + ":\n" + up.output()).isZero();
            assertThat(up.output()).contains("not stopped cleanly").contains("producer:");
        }
        StackInfo after = StackInfo.read(WORK);
        await("the runs finish by themselves").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> runs.values().stream().allMatch(id -> ServiceClient.run(after.producerUrl(), id)
                        .map(r -> r.state() == RunState.COMPLETED).orElse(false)));
        LabDatabase db = new LabDatabase(after);
        Observer observer = new Observer(after);
        for (var e : runs.entrySet()) {
            long expected = e.getKey() == DeliveryMode.AT_MOST_ONCE ? 1 : MESSAGES;
            db.awaitApplied(e.getValue(), expected, Duration.ofMinutes(2));
            Thread.sleep(e.getKey() == DeliveryMode.AT_MOST_ONCE ? 10_000 : 0); // at-most-once: let what reached Kafka land
            Verdict v = Checker.check(observer.observe(e.getKey(), e.getValue(),
                    MESSAGES, 8, false, -1, 0), "power-cut x3");
            assertThat(v.promiseKept()).as(e.getKey().wireName() + ": " + v.explanation()).isTrue();
            if (e.getKey() == DeliveryMode.EXACTLY_ONCE) {
                assertThat(v.consumeCounts()).as("exactly-once: every message once").isEqualTo(Map.of(1, MESSAGES));
            }
        }
    }

    /**
     * A power cut under {@code ./lab run}: it says so within 10 s, leaves the runs to be resumed and exits 3
     * with the command that judges them; after {@code ./lab up} that command judges them (exit 0).
     */
    @Test
    void aRunWhoseStackDiesSaysSoWithinTenSecondsAndItsRunsAreJudgedAfterUp() throws Exception {
        if (!Files.exists(StackInfo.file(WORK)) || !StackInfo.read(WORK).supervisorAlive()) {
            assertThat(lab("up").exit()).isZero();
        }
        List<String> cmd = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "-Ddeliverylab.home=" + HOME,
                "-cp", System.getProperty("java.class.path"), Lab.class.getName(), "--work-dir", WORK.toString(),
                "run", "--messages", "6000", "--rate", "150"));
        Process run = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> seenAt = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream())).lines().forEach(l -> {
            System.out.println("[lab run] " + l);
            lines.add(l);
            seenAt.putIfAbsent(l.contains("the stack stopped at") ? "stopped" : l, System.nanoTime());
        }));
        reader.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> lines.stream().anyMatch(l -> l.matches(".*at-most-once produced [1-9]\\d{2,}.*")));
        powerCut();
        long cutAt = System.nanoTime();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("./lab run stops by itself").isTrue();
        reader.join(10_000);
        assertThat(run.exitValue()).as(String.join("\n", lines)).isEqualTo(3);
        assertThat(seenAt).containsKey("stopped");
        assertThat(Duration.ofNanos(seenAt.get("stopped") - cutAt)).as("said within 10 s").isLessThan(Duration.ofSeconds(10));
        String judge = lines.stream().filter(l -> l.contains("judge the runs with: ./lab")).findFirst().orElseThrow();
        assertThat(judge).contains("--attach at-most-once=run-").contains("exactly-once=run-").contains("--messages 6000");

        try {
            assertThat(lab("up").exit()).isZero();
            String[] again = judge.substring(judge.indexOf("./lab") + "./lab".length()).trim().split(" ");
            List<String> args = new ArrayList<>(List.of(again));
            args.removeAll(List.of("--work-dir", WORK.toString()));
            Result judged = lab(args.toArray(String[]::new));
            assertThat(judged.exit()).as(judged.output()).isZero();
            assertThat(judged.output()).contains("attached");
        } finally {
            lab("down"); // the next test may delete the work dir: a stack still running there would be orphaned
        }
    }

    @Test
    void aStartThatCannotWorkSaysWhyInOneLineWithExitCode2() throws Exception {
        if (!Files.exists(WORK.resolve("postgres/postgresql.conf"))) {
            assertThat(lab("up").exit()).isZero();
        }
        lab("down");
        Files.writeString(WORK.resolve("postgres/postgresql.conf"), "\nthis is not a setting\n", java.nio.file.StandardOpenOption.APPEND);
        try {
            Result up = lab("up");
            assertThat(up.exit()).isEqualTo(2);
            String error = up.output().lines().filter(l -> l.startsWith("error: ")).findFirst().orElseThrow();
            assertThat(error).contains("PostgreSQL did not start").contains("postgresql.conf").contains("postgres.log");
            assertThat(up.output()).doesNotContain("\tat ").doesNotContain("Exception");
        } finally {
            List<String> conf = new ArrayList<>(Files.readAllLines(WORK.resolve("postgres/postgresql.conf")));
            conf.removeIf(l -> l.equals("this is not a setting"));
            Files.write(WORK.resolve("postgres/postgresql.conf"), conf);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
