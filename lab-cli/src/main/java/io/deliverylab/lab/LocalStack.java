package io.deliverylab.lab;

import io.deliverylab.contract.Topics;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.KafkaCluster;
import io.deliverylab.stack.LabTopics;
import io.deliverylab.stack.PostgresServer;
import io.deliverylab.stack.QuarkusApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The embedded stack in one work directory: a 3-node Kafka KRaft cluster, PostgreSQL, the packaged
 * producer and N consumer instances (one group per mode), each its own process. A supervisor
 * restarts a killed service after a delay, as a Deployment replaces a deleted pod. (Over 200 lines:
 * it is the one place that knows the local processes, so every fault on them is here.)
 */
public final class LocalStack implements StackControl, AutoCloseable {

    private final Path workDir;
    private final Duration restartDelay;
    private final Consumer<String> log;
    private final KafkaCluster kafka;
    private final PostgresServer postgres;
    private final int consumerCount;
    private volatile QuarkusApp producer;
    private final List<QuarkusApp> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** SIGSTOPped producers whose replacement took over (pause-producer), by victim name, until healed. */
    private final Map<String, QuarkusApp> zombies = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger producerIncarnations = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Random pick = new java.util.Random();
    /** Brokers cut off with iptables (partition-...), by victim name, until healed. */
    private final Map<String, NetworkPartition> partitions = new java.util.concurrent.ConcurrentHashMap<>();
    private Map<String, String> producerConfig;
    private Path ledger;
    private long supervisorPid;
    private volatile StackInfo info;
    private volatile boolean closing;
    private Thread supervisor;
    private final LabMetrics metrics = new LabMetrics();
    private ControlServer control;
    private PrometheusServer prometheus;

    public LocalStack(Path workDir, Duration restartDelay, Consumer<String> log) {
        this(workDir, restartDelay, 2, log);
    }

    /** {@code consumers} consumer-service instances, one group per mode, each with its own instance id. */
    public LocalStack(Path workDir, Duration restartDelay, int consumers, Consumer<String> log) {
        if (consumers < 1 || consumers > 9) {
            throw new IllegalArgumentException("--consumers must be between 1 and 9, was " + consumers);
        }
        this.consumerCount = consumers;
        this.workDir = workDir.toAbsolutePath();
        this.restartDelay = restartDelay;
        this.log = log;
        this.kafka = KafkaCluster.create(this.workDir, 3);
        this.postgres = PostgresServer.onFreePort(this.workDir.resolve("postgres"));
    }

    /** Finds a packaged service under the repository ({@code deliverylab.home}, else above the cwd). */
    static Path serviceJar(String module) {
        String home = System.getProperty("deliverylab.home");
        for (Path dir = home != null ? Path.of(home).toAbsolutePath() : Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new LabException(module + " is not built: run ./mvnw -B package -DskipTests (./lab does it the first time)");
    }

    /** Starts everything; the control port (kill, pause, heal, /metrics) is picked free. */
    public LocalStack start(long supervisorPid) {
        long t0 = System.nanoTime();
        stopLeftovers(workDir, log);
        log.accept("starting PostgreSQL");
        postgres.start();
        log.accept("starting Kafka (3 KRaft nodes)");
        kafka.start(Duration.ofSeconds(120));
        kafka.createTopics(LabTopics.perMode(), Topics.PARTITIONS, Map.of());
        ledger = workDir.resolve("producer-ledger.jsonl");
        Map<String, String> consumerConfig = new HashMap<>(Map.of(
                "deliverylab.stack.dir", workDir.toString(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password()));
        for (int i = 1; i <= consumerCount; i++) {
            Map<String, String> config = new HashMap<>(consumerConfig);
            config.put("deliverylab.consumer.instance-id", "consumer-" + i);
            consumers.add(new QuarkusApp("consumer-" + i, serviceJar("consumer-service"), FreePorts.next(), config,
                    workDir.resolve("logs/consumer-" + i + ".log")));
        }
        producerConfig = Map.of(
                "deliverylab.stack.dir", workDir.toString(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "deliverylab.producer.instance-id", "lab-producer");
        producer = newProducer();
        log.accept("starting " + consumerCount + " consumer-service instances and producer-service");
        for (QuarkusApp consumer : consumers) {
            consumer.start(Duration.ofSeconds(90));
        }
        producer.start(Duration.ofSeconds(90));
        supervisor = new Thread(this::supervise, "supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        control = new ControlServer(this, metrics, 0).start();
        prometheus = PrometheusServer.ifInstalled(workDir.resolve("prometheus")).map(p -> {
            log.accept("starting Prometheus (Debian's prometheus)");
            return p.start(List.of(hostPort(producer.baseUrl())), consumers.stream().map(c -> hostPort(c.baseUrl())).toList(),
                    "127.0.0.1:" + control.port());
        }).orElse(null);
        this.supervisorPid = supervisorPid;
        refreshInfo();
        log.accept(String.format("stack ready in %.1f s", (System.nanoTime() - t0) / 1e9));
        return this;
    }

    /**
     * A producer-service process with the lab's instance id. Every incarnation writes its own
     * ledger file next to the first ({@code producer-ledger-2.jsonl}, ...), so two live instances
     * (a zombie and its replacement) never interleave lines; the checker reads them all.
     */
    private QuarkusApp newProducer() {
        int n = producerIncarnations.incrementAndGet();
        Map<String, String> config = new HashMap<>(producerConfig);
        config.put("deliverylab.producer.ledger", n == 1 ? ledger.toString() : ledgerFile(ledger, n).toString());
        return new QuarkusApp(n == 1 ? "producer" : "producer-" + n, serviceJar("producer-service"), FreePorts.next(), config,
                workDir.resolve(n == 1 ? "logs/producer.log" : "logs/producer-" + n + ".log"));
    }

    static Path ledgerFile(Path first, int incarnation) {
        String name = first.getFileName().toString();
        return first.resolveSibling(name.replace(".jsonl", "-" + incarnation + ".jsonl"));
    }

    private synchronized void refreshInfo() {
        long startedAt = ProcessHandle.of(supervisorPid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli).orElse(0L);
        info = new StackInfo(workDir.toString(), supervisorPid, startedAt, control.port(), kafka.bootstrapServers(), postgres.jdbcUrl(),
                postgres.user(), postgres.password(), producer.baseUrl(), consumers.stream().map(QuarkusApp::baseUrl).toList(),
                ledger.toString(), prometheus == null ? null : prometheus.url());
        if (Files.exists(StackInfo.file(workDir))) {
            info.write(); // ./lab run in another process reads the new producer address from here
        }
    }

    /**
     * After an unclean stop (the supervisor killed, the machine's power lost) processes of the last
     * stack in this work directory may still run, holding its data and locks. They are found by
     * their command lines (every child names a file under the work directory, or carries
     * {@code deliverylab.stack.dir}) and stopped before anything starts.
     */
    static void stopLeftovers(Path workDir, Consumer<String> log) {
        String inside = workDir + "/";
        String marker = "deliverylab.stack.dir=" + workDir;
        java.util.Set<Long> mine = new java.util.HashSet<>();
        for (var h = java.util.Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
            mine.add(h.get().pid());
        }
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(h -> !mine.contains(h.pid()))
                .filter(h -> h.info().commandLine().map(c -> c.contains(inside) || c.contains(marker)).orElse(false))
                .toList();
        if (leftovers.isEmpty()) {
            return;
        }
        log.accept("stopping " + leftovers.size() + " process(es) left by an unclean stop of the last stack here: "
                + leftovers.stream().map(h -> Long.toString(h.pid())).toList());
        leftovers.forEach(ProcessHandle::destroy); // SIGTERM; one that was paused gets SIGKILL below
        for (ProcessHandle h : leftovers) {
            try {
                h.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                h.onExit().join(); // gone for good: its locks (PostgreSQL's, zonky's) are free
            }
        }
    }

    private void supervise() {
        while (!closing) {
            List<QuarkusApp> apps = new java.util.ArrayList<>(consumers);
            apps.add(producer);
            for (QuarkusApp app : apps) {
                if (!closing && !app.isAlive()) {
                    restart(app);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void restart(QuarkusApp app) {
        String line = Instant.now() + " " + app.name() + " is gone; restarting in " + restartDelay.toMillis() + " ms";
        log.accept(line);
        try {
            Thread.sleep(restartDelay.toMillis());
            app.start(Duration.ofSeconds(90));
            log.accept(Instant.now() + " " + app.name() + " restarted (pid " + app.process().pid() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.accept(app.name() + " failed to restart: " + e.getMessage());
        }
    }

    @Override
    public StackInfo info() {
        return info;
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    @Override
    public String kill(Target target) {
        switch (target.kind()) {
            case "producer" -> producer.kill();
            case "consumer" -> {
                QuarkusApp c = consumer(target);
                c.kill();
                return c.name();
            }
            case "brokers" -> {
                List<Integer> nodes = new java.util.ArrayList<>(kafka.nodes().stream().map(n -> n.id()).toList());
                java.util.Collections.shuffle(nodes, pick);
                List<Integer> victims = nodes.subList(0, target.number());
                victims.forEach(kafka::kill);
                return String.join("+", victims.stream().map(n -> "kafka-" + n).toList());
            }
            case "postgres" -> postgres.stop();
            default -> {
                int node = broker(target);
                kafka.kill(node);
                return "kafka-" + node;
            }
        }
        return target.name();
    }

    @Override
    public String pause(Target target) {
        return switch (target.kind()) {
            case "producer" -> pauseProducer();
            case "consumer" -> {
                QuarkusApp c = consumer(target);
                c.process().pause();
                yield c.name();
            }
            case "postgres" -> {
                postgres.stop();
                yield "postgres";
            }
            case "brokers" -> throw new LabException("pause works on one broker at a time, not brokers");
            default -> {
                int node = broker(target);
                kafka.pause(node);
                yield "kafka-" + node;
            }
        };
    }

    /**
     * A zombie producer: SIGSTOP the producer and start a replacement with the same instance id on
     * another port, as a StatefulSet would after losing track of a pod that is only partitioned.
     * The replacement fences the old one when it opens its transactional producers. The victim's
     * name carries the old pid, so that the heal (SIGCONT, then a clean stop once it stepped down)
     * finds it.
     */
    private synchronized String pauseProducer() {
        QuarkusApp old = producer;
        old.process().pause();
        String victim = "producer-pid-" + old.process().pid();
        zombies.put(victim, old);
        producer = newProducer(); // not started: the supervisor starts it, as it replaces any missing pod
        refreshInfo(); // the lab follows the replacement from now on
        return victim;
    }

    @Override
    public String partition(Target target) {
        int node = broker(target);
        String victim = "kafka-" + node + "-partitioned";
        var broker = kafka.node(node);
        String tag = Integer.toHexString(workDir.toString().hashCode() & 0xfffff) + "-k" + node;
        NetworkPartition cut = new NetworkPartition(tag, broker.process().pid(), List.of(broker.port(), broker.controllerPort()));
        cut.cut();
        partitions.put(victim, cut);
        return victim;
    }

    @Override
    public void heal(String victim) {
        QuarkusApp zombie = zombies.remove(victim);
        NetworkPartition cut = partitions.remove(victim);
        if (cut != null) {
            cut.heal();
        } else if (zombie != null) {
            healZombieProducer(zombie);
        } else if (victim.equals("postgres")) {
            postgres.start();
        } else if (victim.startsWith("consumer-")) {
            QuarkusApp c = consumers.stream().filter(a -> a.name().equals(victim)).findFirst()
                    .orElseThrow(() -> new LabException("no " + victim));
            if (c.isAlive()) {
                c.process().resume();
            }
        } else if (victim.startsWith("kafka-")) {
            for (String one : victim.split("\\+")) {
                int node = Integer.parseInt(one.substring("kafka-".length()));
                var process = kafka.node(node).process();
                if (process.isAlive()) {
                    kafka.resume(node);
                } else {
                    kafka.restart(node);
                }
            }
        }
        // a killed producer or consumer comes back through the supervisor
    }

    /**
     * SIGCONT the old producer. It must notice by itself that it was replaced (fenced at its next
     * checkpoint or transaction) and stop sending; the heal waits until it has no running run (or
     * 40 s), records whether it stepped down, then stops it: a zombie does not stay.
     */
    private void healZombieProducer(QuarkusApp zombie) {
        zombie.process().resume();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline && zombie.isAlive() && !idle(zombie)) {
            sleepQuietly(250);
        }
        boolean fenced = zombie.get("/q/health/ready").map(r -> r.body().contains("\"fenced\":\"")
                && !r.body().contains("\"fenced\":\"no\"")).orElse(false);
        log.accept(zombie.name() + " (pid " + zombie.process().pid() + ") resumed: "
                + (fenced ? "it was fenced and stepped down" : idle(zombie) ? "it had nothing left to send" : "still sending after 40 s")
                + "; stopping it");
        zombie.stop();
    }

    private static boolean idle(QuarkusApp producer) {
        return producer.get("/runs").map(r -> !r.body().contains("\"state\":\"RUNNING\"")).orElse(false);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** consumer: one at random; consumer-N: that one. */
    private QuarkusApp consumer(Target target) {
        if (target.number() == 0) {
            return consumers.get(pick.nextInt(consumers.size()));
        }
        if (target.number() > consumers.size()) {
            throw new LabException("there is no consumer-" + target.number() + " (the stack runs " + consumers.size() + ")");
        }
        return consumers.get(target.number() - 1);
    }

    /** The broker that leads most partitions of the mode topics, or the active controller. */
    private int broker(Target target) {
        if (target.kind().equals("kafka")) {
            if (target.number() > kafka.nodes().size()) {
                throw new LabException("there is no kafka-" + target.number());
            }
            return target.number();
        }
        if (target.kind().equals("controller")) {
            return kafka.activeController().orElseThrow(() -> new LabException("no active controller"));
        }
        Map<Integer, Integer> leads = new HashMap<>();
        for (String topic : LabTopics.perMode()) {
            for (int p = 0; p < 3; p++) {
                kafka.leaderOf(topic, p).ifPresent(n -> leads.merge(n, 1, Integer::sum));
            }
        }
        return leads.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new LabException("no partition leader found"));
    }

    private static String hostPort(String url) {
        return url.substring(url.indexOf("://") + 3);
    }

    /** The producer or consumer service process. */
    public QuarkusApp app(String name) {
        if (name.equals("producer")) {
            return producer;
        }
        if (name.equals("consumer")) {
            return consumers.get(0);
        }
        return consumers.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    public List<QuarkusApp> consumers() {
        return List.copyOf(consumers);
    }

    public ControlServer control() {
        return control;
    }

    public java.util.Optional<PrometheusServer> prometheus() {
        return java.util.Optional.ofNullable(prometheus);
    }

    @Override
    public void publish(Experiment.Outcome outcome) {
        metrics.record(outcome);
    }


    @Override
    public void close() {
        closing = true;
        if (supervisor != null) {
            supervisor.interrupt();
        }
        partitions.values().forEach(NetworkPartition::heal); // never leave a rule behind
        partitions.clear();
        if (control != null) {
            control.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        List<QuarkusApp> apps = new java.util.ArrayList<>(consumers);
        apps.addAll(zombies.values());
        if (producer != null) {
            apps.add(producer);
        }
        apps.forEach(QuarkusApp::stop); // a paused one is woken first
        kafka.close();
        postgres.close();
    }
}
