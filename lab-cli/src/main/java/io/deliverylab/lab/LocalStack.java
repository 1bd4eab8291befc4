package io.deliverylab.lab;

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
 * The embedded stack in one work directory: a 3-node Kafka KRaft cluster, PostgreSQL, and the two
 * packaged services, each its own process. A supervisor restarts a killed service after a delay,
 * as a Deployment replaces a deleted pod.
 */
public final class LocalStack implements StackControl, AutoCloseable {

    private final Path workDir;
    private final Duration restartDelay;
    private final Consumer<String> log;
    private final KafkaCluster kafka;
    private final PostgresServer postgres;
    private QuarkusApp producer;
    private QuarkusApp consumer;
    private StackInfo info;
    private volatile boolean closing;
    private Thread supervisor;
    private final LabMetrics metrics = new LabMetrics();
    private ControlServer control;
    private PrometheusServer prometheus;

    public LocalStack(Path workDir, Duration restartDelay, Consumer<String> log) {
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
        log.accept("starting PostgreSQL");
        postgres.start();
        log.accept("starting Kafka (3 KRaft nodes)");
        kafka.start(Duration.ofSeconds(120));
        kafka.createTopics(LabTopics.perMode(), 3, Map.of());
        Path ledger = workDir.resolve("producer-ledger.jsonl");
        Map<String, String> consumerConfig = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password()));
        consumer = new QuarkusApp("consumer", serviceJar("consumer-service"), FreePorts.next(), consumerConfig,
                workDir.resolve("logs/consumer.log"));
        producer = new QuarkusApp("producer", serviceJar("producer-service"), FreePorts.next(), Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "deliverylab.producer.instance-id", "lab-producer",
                "deliverylab.producer.ledger", ledger.toString()), workDir.resolve("logs/producer.log"));
        log.accept("starting consumer-service and producer-service");
        consumer.start(Duration.ofSeconds(90));
        producer.start(Duration.ofSeconds(90));
        supervisor = new Thread(this::supervise, "supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        control = new ControlServer(this, metrics, 0).start();
        prometheus = PrometheusServer.ifInstalled(workDir.resolve("prometheus")).map(p -> {
            log.accept("starting Prometheus (Debian's prometheus)");
            return p.start(hostPort(producer.baseUrl()), hostPort(consumer.baseUrl()), "127.0.0.1:" + control.port());
        }).orElse(null);
        info = new StackInfo(workDir.toString(), supervisorPid, control.port(), kafka.bootstrapServers(), postgres.jdbcUrl(),
                postgres.user(), postgres.password(), producer.baseUrl(), consumer.baseUrl(), ledger.toString(),
                prometheus == null ? null : prometheus.url());
        log.accept(String.format("stack ready in %.1f s", (System.nanoTime() - t0) / 1e9));
        return this;
    }

    private void supervise() {
        while (!closing) {
            for (QuarkusApp app : List.of(producer, consumer)) {
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
        switch (target) {
            case PRODUCER -> producer.kill();
            case CONSUMER -> consumer.kill();
            case LEADER, CONTROLLER -> {
                int node = broker(target);
                kafka.kill(node);
                return "kafka-" + node;
            }
            case POSTGRES -> {
                postgres.stop();
            }
        }
        return target.name;
    }

    @Override
    public String pause(Target target) {
        return switch (target) {
            case LEADER, CONTROLLER -> {
                int node = broker(target);
                kafka.pause(node);
                yield "kafka-" + node;
            }
            case POSTGRES -> {
                postgres.stop();
                yield "postgres";
            }
            default -> throw new LabException("pause works on leader, controller and postgres, not " + target.name);
        };
    }

    @Override
    public void heal(String victim) {
        if (victim.equals("postgres")) {
            postgres.start();
        } else if (victim.startsWith("kafka-")) {
            int node = Integer.parseInt(victim.substring("kafka-".length()));
            var process = kafka.node(node).process();
            if (process.isAlive()) {
                kafka.resume(node);
            } else {
                kafka.restart(node);
            }
        }
        // producer and consumer come back through the supervisor
    }

    /** The broker that leads most partitions of the mode topics, or the active controller. */
    private int broker(Target target) {
        if (target == Target.CONTROLLER) {
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
        return switch (name) {
            case "producer" -> producer;
            case "consumer" -> consumer;
            default -> throw new IllegalArgumentException("no service " + name);
        };
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
        if (control != null) {
            control.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        for (QuarkusApp app : new QuarkusApp[] {producer, consumer}) {
            if (app != null) {
                app.stop();
            }
        }
        kafka.close();
        postgres.close();
    }
}
