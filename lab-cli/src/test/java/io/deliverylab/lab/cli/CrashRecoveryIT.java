package io.deliverylab.lab.cli;

import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.Observer;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.RunState;
import io.deliverylab.contract.RunView;
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
 * each mode is under way, the first time under {@code ./lab run}. {@code ./lab up} must come back on
 * the first call each time, the runs must finish by themselves, and each mode must keep its promise.
 * Then a start that cannot work (a broken PostgreSQL configuration) must say why in one line, with exit code 2.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test. The broken start runs
// second, on the work dir the power cuts leave, rather than starting a stack of its own.
@org.junit.jupiter.api.Tag("lab-stage")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class CrashRecoveryIT {

    private static final Path WORK = Path.of("target").toAbsolutePath().resolve("crash-it");
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    /**
     * 53 s of schedule at {@link #RATE}. A resumed run goes on at the rate from its checkpoint (what fell
     * due while the stack was down is not sent at once), so each cut costs it only the 300 messages the
     * next cut waits for and what it sends while {@code ./lab up} finishes: about 3,000 by the third cut.
     * The rest, under the judge that {@code ./lab run} printed, stays well inside the judge's patience.
     */
    private static final long MESSAGES = 8_000;
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

    /**
     * Three power cuts on one stack start. The first lands under {@code ./lab run}: it says so within
     * 10 s, leaves the runs to be resumed and exits 3 with the command that judges them. After each cut
     * {@code ./lab status} says the stack is down and {@code ./lab up} brings it back on the first call;
     * the runs finish by themselves, that command judges them (exit 0) and each mode keeps its promise.
     */
    @Test
    @org.junit.jupiter.api.Order(1)
    void upComesBackOnTheFirstCallAfterThreePowerCutsTheFirstUnderLabRunAndEveryModeKeepsItsPromise() throws Exception {
        if (Files.exists(StackInfo.file(WORK))) {
            lab("down"); // never delete the work dir of a stack that still runs
        }
        deleteRecursively(WORK);
        assertThat(lab("up").exit()).isZero();
        List<String> cmd = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "-Ddeliverylab.home=" + HOME,
                "-cp", System.getProperty("java.class.path"), Lab.class.getName(), "--work-dir", WORK.toString(),
                "run", "--messages", Long.toString(MESSAGES), "--rate", Integer.toString(RATE)));
        Process run = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> seenAt = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(run.getInputStream())).lines().forEach(l -> {
            System.out.println("[lab run] " + l);
            lines.add(l);
            seenAt.putIfAbsent(l.contains("the stack stopped at") ? "stopped" : l, System.nanoTime());
        }));
        reader.start();

        Map<String, Long> progress = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        for (int crash = 1; crash <= 3; crash++) {
            StackInfo before = StackInfo.read(WORK);
            // Each cut lands mid-run: every run's checkpointed position (which, unlike the acknowledged
            // count, carries over a restart) has moved on since the last one by 300 messages.
            int cut = crash;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                List<RunView> views = cut == 1 ? runs(before.producerUrl())
                        : runs.stream().map(id -> ServiceClient.run(before.producerUrl(), id).orElse(null)).toList();
                if (views.size() < DeliveryMode.guarantees().size() || views.stream().anyMatch(java.util.Objects::isNull)) {
                    return false;
                }
                for (RunView r : views) {
                    if (r.state() == RunState.COMPLETED) {
                        throw new AssertionError("run " + r.id() + " completed before power cut " + cut + ": nothing under way to cut");
                    }
                    if (r.nextSeq() < progress.getOrDefault(r.id(), 0L) + 300) {
                        return false;
                    }
                }
                views.forEach(r -> progress.put(r.id(), r.nextSeq()));
                return true;
            });
            int killed = powerCut();
            long cutAt = System.nanoTime();
            System.out.println("power cut " + crash + ": " + killed + " processes SIGKILLed at once");
            if (crash == 1) {
                assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("./lab run stops by itself").isTrue();
                reader.join(10_000);
                assertThat(run.exitValue()).as(String.join("\n", lines)).isEqualTo(3);
                assertThat(seenAt).containsKey("stopped");
                assertThat(Duration.ofNanos(seenAt.get("stopped") - cutAt)).as("said within 10 s").isLessThan(Duration.ofSeconds(10));
                runs.addAll(progress.keySet());
            }
            Result status = lab("status");
            assertThat(status.exit()).isEqualTo(1);
            assertThat(status.output()).contains("DOWN").contains("not stopped cleanly");
            Result up = lab("up");
            assertThat(up.exit()).as("./lab up after power cut " + crash + ":\n" + up.output()).isZero();
            assertThat(up.output()).contains("not stopped cleanly").contains("producer:");
        }

        String judge = lines.stream().filter(l -> l.contains("judge the runs with: ./lab")).findFirst().orElseThrow();
        assertThat(judge).contains("--attach at-most-once=run-").contains("exactly-once=run-").contains("--messages " + MESSAGES);
        runs.forEach(id -> assertThat(judge).contains(id));
        String[] again = judge.substring(judge.indexOf("./lab") + "./lab".length()).trim().split(" ");
        List<String> args = new ArrayList<>(List.of(again));
        args.removeAll(List.of("--work-dir", WORK.toString()));
        Result judged = lab(args.toArray(String[]::new));
        assertThat(judged.exit()).as(judged.output()).isZero();
        assertThat(judged.output()).contains("attached");

        StackInfo after = StackInfo.read(WORK);
        await("the runs finish by themselves").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> runs.stream().allMatch(id -> ServiceClient.run(after.producerUrl(), id)
                        .map(r -> r.state() == RunState.COMPLETED).orElse(false)));
        LabDatabase db = new LabDatabase(after);
        Observer observer = new Observer(after);
        for (String id : runs) {
            DeliveryMode mode = DeliveryMode.fromWire(ServiceClient.run(after.producerUrl(), id).orElseThrow().mode());
            long expected = mode == DeliveryMode.AT_MOST_ONCE ? 1 : MESSAGES;
            db.awaitApplied(id, expected, Duration.ofMinutes(2));
            Verdict v = Checker.check(observer.observe(mode, id, MESSAGES, 8, false, -1, 0), "power-cut x3");
            assertThat(v.promiseKept()).as(mode.wireName() + ": " + v.explanation()).isTrue();
            if (mode == DeliveryMode.EXACTLY_ONCE) {
                assertThat(v.counts().consumeCounts()).as("exactly-once: every message once").isEqualTo(Map.of(1, MESSAGES));
            }
        }
    }

    /** GET /runs: every run the producer knows, empty while it does not answer. */
    private static List<RunView> runs(String producerUrl) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(producerUrl + "/runs")).timeout(Duration.ofSeconds(2)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() != 200 ? List.of()
                    : List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), RunView[].class));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
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
