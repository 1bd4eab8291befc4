package io.deliverylab.lab.stack;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.contract.ApiToken;
import io.deliverylab.contract.GroupProtocol;
import io.deliverylab.contract.Topics;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.JvmFlags;
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
 * restarts a killed service after a delay, as a Deployment replaces a deleted pod. It is the
 * composition root; {@link ServiceSupervisor} restarts, faults on its processes are {@link LocalFaults},
 * and what an unclean stop left behind is {@link Leftovers}. (Over 300 lines: starting every part in
 * order, and the accessors the faults and the bench use, are kept in one place.)
 */
public final class LocalStack implements Stack, AutoCloseable {

    private final Path workDir;
    private final Duration restartDelay;
    private final Consumer<String> log;
    private final KafkaCluster kafka;
    private final PostgresServer postgres;
    private final int consumerCount;
    /** Partitions of each mode's topic: the contract's count unless a bench measures another. */
    private int partitions = Topics.PARTITIONS;
    /**
     * The lab's consumer session timeout: a SIGKILLed consumer's partitions stall about this long before
     * the other member of its group takes them (docs/bench.md). The lab owns its brokers, so it can lower
     * their minimum; a member is only evicted if its process stalls that long (heartbeats have their own thread).
     */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private Duration sessionTimeout = SESSION_TIMEOUT;
    /**
     * Kafka's 9 s default is most of a killed leader's stall and of a restarted broker's wait to register
     * (docs/bench.md, recovery). 3 s can fence a broker starved of CPU that long: a stall, never a loss.
     */
    static final Duration BROKER_SESSION = Duration.ofSeconds(3);
    /** How long a share-group member holds what it acquired: shorter than the run's quiet period, so a killed member's records come back before a run is judged. */
    static final Duration SHARE_RECORD_LOCK = Duration.ofSeconds(5);
    /** The consumers' group protocol; the brokers serve both ({@link KafkaCluster#groupSessionTimeout}). */
    private GroupProtocol groupProtocol = GroupProtocol.CLASSIC;
    /** Properties a bench measures on every consumer / on the producer, over the shipped ones; see {@link #serviceProperties}. */
    private Map<String, String> consumerProperties = Map.of();
    private Map<String, String> producerProperties = Map.of();
    /** The brokers' and services' GC and JIT flags. */
    private final JvmFlags jvmFlags;
    private volatile QuarkusApp producer;
    private final List<QuarkusApp> consumers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger producerIncarnations = new java.util.concurrent.atomic.AtomicInteger();
    private final LocalFaults faults = new LocalFaults(this);
    private Map<String, String> producerConfig;
    /** The cluster's finalized feature levels once started (transaction.version, group.version, share.version, ...). */
    private Map<String, Short> features = Map.of();
    /** The number of the last consumer instance made: an added member gets the next one. */
    private int lastConsumer;
    /** What every consumer instance is started with, besides its instance id. */
    private Map<String, String> consumerConfig;
    /** A fresh API token per stack: the producer requires it, the lab's commands read it from stack.json. */
    private final String apiToken = newToken();
    private Path ledger;
    private long supervisorPid;
    private volatile StackInfo info;
    private volatile boolean closing;
    private Thread supervisor;
    /** What the control port serves at /metrics and takes at /verdicts; nothing unless {@link #serve} says. */
    private ResultsEndpoint results = ResultsEndpoint.NONE;
    private ControlServer control;
    private PrometheusServer prometheus;

    public LocalStack(Path workDir, Duration restartDelay, Consumer<String> log) {
        this(workDir, restartDelay, 2, log);
    }

    /**
     * {@code consumers} consumer-service instances, one group per mode, each with its own instance
     * id; the JVMs run with the lab's flags (startup unless DELIVERYLAB_JVM_FLAGS says otherwise).
     */
    public LocalStack(Path workDir, Duration restartDelay, int consumers, Consumer<String> log) {
        this(workDir, restartDelay, consumers, JvmFlags.forLab(), log);
    }

    /** The same, the brokers' and services' JVMs started with {@code jvmFlags}. */
    public LocalStack(Path workDir, Duration restartDelay, int consumers, JvmFlags jvmFlags, Consumer<String> log) {
        check(consumers, Topics.PARTITIONS, null);
        this.consumerCount = consumers;
        this.jvmFlags = jvmFlags;
        this.workDir = workDir.toAbsolutePath();
        this.restartDelay = restartDelay;
        this.log = log;
        this.kafka = KafkaCluster.create(this.workDir, 3, jvmFlags);
        this.postgres = PostgresServer.onFreePort(this.workDir.resolve("postgres"));
    }

    /** Creates each mode's topic with {@code n} partitions instead of the contract's (before {@link #start}). */
    /** Refuses a stack shape out of range, before anything is built or started. */
    public static void check(int consumers, int partitions, Duration sessionTimeout) {
        if (consumers < 1 || consumers > 9) {
            throw new IllegalArgumentException("--consumers must be between 1 and 9, was " + consumers);
        }
        if (partitions < 1 || partitions > 64) {
            throw new IllegalArgumentException("--partitions must be between 1 and 64, was " + partitions);
        }
        if (sessionTimeout != null && (sessionTimeout.toMillis() < 1000 || sessionTimeout.toMillis() > 60_000)) {
            throw new IllegalArgumentException("--session-timeout must be between 1s and 60s, was " + sessionTimeout);
        }
    }

    public LocalStack partitions(int n) {
        check(consumerCount, n, null);
        this.partitions = n;
        return this;
    }

    public int partitions() {
        return partitions;
    }

    /**
     * Runs the consumers' groups with {@code timeout} as session timeout (heartbeats at a third of
     * it), before {@link #start}; {@link #SESSION_TIMEOUT} unless set. Below 6 s the brokers must
     * allow it: {@code group.min.session.timeout.ms} is lowered on the lab's own brokers only, so the
     * services keep their shipped 6 s for brokers with Kafka's defaults. Null keeps the lab's.
     */
    public LocalStack sessionTimeout(Duration timeout) {
        if (timeout == null) {
            return this;
        }
        check(consumerCount, partitions, timeout);
        this.sessionTimeout = timeout;
        return this;
    }

    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    /** Runs every consumer's groups under {@code protocol}, before {@link #start}; classic unless set. Null keeps it. */
    public LocalStack groupProtocol(GroupProtocol protocol) {
        if (protocol != null) {
            this.groupProtocol = protocol;
        }
        return this;
    }

    public GroupProtocol groupProtocol() {
        return groupProtocol;
    }

    /**
     * Formats the brokers with {@code transaction.version} at {@code version} (1: the protocol Kafka 3 had;
     * 2: KIP-890's, 4.1's default), before {@link #start}. Null keeps Kafka's default.
     */
    public LocalStack transactionVersion(Integer version) {
        if (version != null) {
            if (version < 1 || version > 2) {
                throw new IllegalArgumentException("--transaction-version must be 1 or 2, was " + version);
            }
            kafka.feature("transaction.version", version.shortValue());
        }
        return this;
    }

    /** What the lab itself sets on the services (where things are, who is who): no bench may change it. */
    private static final java.util.Set<String> LAB_OWNED = java.util.Set.of("deliverylab.stack.dir", "kafka.bootstrap.servers",
            "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
            "deliverylab.consumer.instance-id", "deliverylab.producer.instance-id", "deliverylab.producer.ledger", ApiToken.PROPERTY,
            "deliverylab.topics.partitions", GroupProtocol.PROPERTY);
    private static final java.util.regex.Pattern PROPERTY = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,199}");

    /**
     * Configuration properties (as in application.properties) given to every consumer and to the
     * producer only, before {@link #start}, so a bench can measure one setting of one side: an
     * environment variable would reach both services, and SmallRye reads a channel's variable even in
     * the service that has no such channel. Applied after the shipped values and {@link #sessionTimeout}.
     */
    public LocalStack serviceProperties(Map<String, String> consumer, Map<String, String> producer) {
        this.consumerProperties = checked("--consumer-property", consumer);
        this.producerProperties = checked("--producer-property", producer);
        return this;
    }

    public Map<String, String> consumerProperties() {
        return consumerProperties;
    }

    public Map<String, String> producerProperties() {
        return producerProperties;
    }

    private static Map<String, String> checked(String option, Map<String, String> properties) {
        if (properties == null) {
            return Map.of();
        }
        if (properties.size() > 32) {
            throw new IllegalArgumentException(option + " may be given at most 32 times, was " + properties.size());
        }
        properties.forEach((k, v) -> {
            if (!PROPERTY.matcher(k).matches()) {
                throw new IllegalArgumentException(option + ": '" + k + "' is not a property name (letters, digits, '.', '_', '-')");
            }
            if (LAB_OWNED.contains(k)) {
                throw new IllegalArgumentException(option + ": " + k + " is set by the lab itself");
            }
            if (v == null || v.length() > 1000 || v.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(option + ": the value of " + k + " must be one line of at most 1000 characters");
            }
        });
        return Map.copyOf(properties);
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
        Leftovers.stop(workDir, log);
        log.accept("starting PostgreSQL");
        postgres.start();
        log.accept("starting Kafka (3 KRaft nodes)");
        kafka.groupSessionTimeout(sessionTimeout).shareRecordLock(SHARE_RECORD_LOCK).brokerSessionTimeout(BROKER_SESSION);
        kafka.start(Duration.ofSeconds(120));
        kafka.createTopics(LabTopics.perMode(), partitions, Map.of());
        features = kafka.finalizedFeatures();
        log.accept("Kafka features: " + features.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", ")) + "; consumer groups: the " + groupProtocol + " protocol");
        ledger = workDir.resolve("producer-ledger.jsonl");
        consumerConfig = new HashMap<>(Map.of(
                "deliverylab.stack.dir", workDir.toString(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password()));
        consumerConfig.put("deliverylab.consumer.session-timeout-ms", Long.toString(sessionTimeout.toMillis()));
        consumerConfig.put("deliverylab.consumer.heartbeat-interval-ms", Long.toString(sessionTimeout.toMillis() / 3));
        consumerConfig.put(GroupProtocol.PROPERTY, groupProtocol.wireName());
        consumerConfig.putAll(consumerProperties);
        for (int i = 1; i <= consumerCount; i++) {
            consumers.add(newConsumer(i));
        }
        lastConsumer = consumerCount;
        producerConfig = new HashMap<>(producerProperties);
        producerConfig.putAll(Map.of(
                "deliverylab.stack.dir", workDir.toString(),
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "deliverylab.producer.instance-id", "lab-producer",
                ApiToken.PROPERTY, apiToken,
                "deliverylab.topics.partitions", Integer.toString(partitions)));
        producer = newProducer();
        log.accept("starting " + consumerCount + " consumer-service instances and producer-service");
        for (QuarkusApp consumer : consumers) {
            consumer.start(Duration.ofSeconds(90));
        }
        producer.start(Duration.ofSeconds(90));
        supervisor = new Thread(new ServiceSupervisor(this::services, () -> closing, restartDelay, log), "supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        control = new ControlServer(this, results, 0).start();
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
                workDir.resolve(n == 1 ? "logs/producer.log" : "logs/producer-" + n + ".log"), jvmFlags);
    }

    /** Consumer-service instance {@code n}: a member of every mode's group, named consumer-N. */
    private QuarkusApp newConsumer(int n) {
        Map<String, String> config = new HashMap<>(consumerConfig);
        config.put("deliverylab.consumer.instance-id", "consumer-" + n);
        return new QuarkusApp("consumer-" + n, serviceJar("consumer-service"), FreePorts.next(), config,
                workDir.resolve("logs/consumer-" + n + ".log"), jvmFlags);
    }

    /**
     * One more consumer-service instance, started now and kept alive by the supervisor like the others
     * until {@link #removeConsumer}: every mode's group grows by a member and rebalances. Returns its name.
     */
    QuarkusApp addConsumer() {
        QuarkusApp added;
        synchronized (this) {
            added = newConsumer(++lastConsumer);
        }
        // Started without the stack's lock, as the supervisor starts a member: a slow start holds back no other fault.
        added.start(Duration.ofSeconds(90));
        synchronized (this) {
            consumers.add(added);
            refreshInfo();
        }
        return added;
    }

    /** Stops a consumer {@link #addConsumer} added, cleanly (it leaves its groups), and stops supervising it. */
    void removeConsumer(String name) {
        QuarkusApp c = app(name);
        synchronized (this) {
            consumers.remove(c);
            refreshInfo();
        }
        c.stop();
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    static Path ledgerFile(Path first, int incarnation) {
        String name = first.getFileName().toString();
        return first.resolveSibling(name.replace(".jsonl", "-" + incarnation + ".jsonl"));
    }

    private synchronized void refreshInfo() {
        long startedAt = ProcessHandle.of(supervisorPid).flatMap(h -> h.info().startInstant()).map(java.time.Instant::toEpochMilli).orElse(0L);
        info = new StackInfo(workDir.toString(), supervisorPid, startedAt, control.port(), kafka.bootstrapServers(), postgres.jdbcUrl(),
                postgres.user(), postgres.password(), producer.baseUrl(), consumers.stream().map(QuarkusApp::baseUrl).toList(),
                ledger.toString(), prometheus == null ? null : prometheus.url(), apiToken, groupProtocol.wireName(),
                features.containsKey("transaction.version") ? (int) features.get("transaction.version") : null);
        if (Files.exists(StackInfo.file(workDir))) {
            info.write(); // ./lab run in another process reads the new producer address from here
        }
    }

    /** The service processes the supervisor keeps alive: every consumer and the current producer. */
    List<QuarkusApp> services() {
        List<QuarkusApp> apps = new java.util.ArrayList<>(consumers);
        apps.add(producer);
        return apps;
    }

    @Override
    public String kill(Target target) {
        return faults.kill(target);
    }

    @Override
    public String pause(Target target) {
        return faults.pause(target);
    }

    @Override
    public String partition(Target target) {
        return faults.partition(target);
    }

    @Override
    public String add(Target target) {
        return faults.add(target);
    }

    @Override
    public boolean restarting(String victim) {
        return faults.restarting(victim);
    }

    @Override
    public void heal(String victim) {
        faults.heal(victim);
    }

    /**
     * Swaps in a new producer with the same instance id (not started: the supervisor starts it, as
     * it replaces any missing pod) and returns the old one; the lab follows the replacement from now on.
     */
    synchronized QuarkusApp replaceProducer() {
        QuarkusApp old = producer;
        producer = newProducer();
        refreshInfo();
        return old;
    }

    PostgresServer postgres() {
        return postgres;
    }

    Path workDir() {
        return workDir;
    }

    Consumer<String> log() {
        return log;
    }

    @Override
    public StackInfo info() {
        return info;
    }

    public KafkaCluster kafka() {
        return kafka;
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

    /** Serves {@code results} at the control port's /metrics and /verdicts; call before {@link #start}. */
    public LocalStack serve(ResultsEndpoint results) {
        this.results = results;
        return this;
    }


    @Override
    public void close() {
        closing = true;
        if (supervisor != null) {
            supervisor.interrupt();
            try {
                supervisor.join(15_000); // its restarts end first: none may launch a service after the stop below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        faults.healPartitions(); // never leave a rule behind
        if (control != null) {
            control.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        List<QuarkusApp> apps = new java.util.ArrayList<>(consumers);
        apps.addAll(faults.zombies());
        if (producer != null) {
            apps.add(producer);
        }
        apps.forEach(QuarkusApp::stop); // a paused one is woken first
        kafka.close();
        postgres.close();
    }
}
