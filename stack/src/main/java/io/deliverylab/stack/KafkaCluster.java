package io.deliverylab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka cluster in KRaft mode: every node is broker and controller, each its own
 * JVM on 127.0.0.1. Broker jars come from {@code kafka-broker-libs/target/libs}. (Over 300 lines:
 * formatting, starting, readiness and the admin questions the faults ask, leader, controller, ISR, are
 * one node set's life, and splitting them would pass the node list around.)
 */
public final class KafkaCluster implements AutoCloseable {

    public static final String LIBS_PROPERTY = "deliverylab.kafka.libs";
    private static final String SHARE_VERSION = "share.version";
    private static final String CLUSTER_ID = "ZGVsaXZlcnlsYWJjbHVzdA"; // base64 UUID, fixed: one lab, one cluster

    private final Path workDir;
    private final Path libsDir;
    private final List<KafkaNode> nodes = new ArrayList<>();
    private final int heapMb;
    private final JvmFlags flags;
    private ClassArchive classes;
    /** Feature levels the storage is formatted with (transaction.version=1, ...): the cluster is born with them. */
    private final Map<String, Short> features = new java.util.TreeMap<>();

    private KafkaCluster(Path workDir, Path libsDir, int size, int heapMb, JvmFlags flags) {
        this.workDir = workDir;
        this.libsDir = libsDir;
        this.heapMb = heapMb;
        this.flags = flags;
        this.classes = ClassArchive.nextTo(libsDir);
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {FreePorts.next(), FreePorts.next()});
        }
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(i)[1])
                .collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            nodes.add(new KafkaNode(i + 1, ports.get(i)[0], ports.get(i)[1], voters, size, workDir.resolve("kafka-" + (i + 1))));
        }
    }

    /** Another class data sharing archive than the one beside the broker jars ({@link ClassArchive}); before {@link #start}. */
    KafkaCluster classArchive(Path file) {
        this.classes = new ClassArchive(file);
        return this;
    }

    /** The broker jars' directory, every broker's and tool's class path. */
    public Path libs() {
        return libsDir;
    }

    /** A broker setting on every node, on top of the lab's own; before {@link #start}. */
    public KafkaCluster brokerSetting(String key, String value) {
        nodes.forEach(n -> n.set(key, value));
        return this;
    }

    /**
     * How long the active controller waits for a broker's heartbeat before it fences the broker and
     * moves its leaderships, with a third of it as the heartbeat interval, before {@link #start}. It also
     * bounds a restart: a new incarnation of a broker registers only once the old one's session expired.
     */
    public KafkaCluster brokerSessionTimeout(Duration session) {
        brokerSetting("broker.session.timeout.ms", Long.toString(session.toMillis()));
        return brokerSetting("broker.heartbeat.interval.ms", Long.toString(session.toMillis() / 3));
    }

    /**
     * Lets the consumer groups of both protocols run with {@code session} as their session timeout and a
     * third of it as heartbeat interval, before {@link #start}. Under the classic protocol each client
     * asks for its timeouts and the broker only bounds them, so the minimum is lowered when needed;
     * under KIP-848's consumer protocol the broker decides them ({@code group.consumer.*}).
     */
    public KafkaCluster groupSessionTimeout(Duration session) {
        long ms = session.toMillis();
        long heartbeat = ms / 3;
        brokerSetting("group.min.session.timeout.ms", Long.toString(Math.min(6000, ms)));
        timeouts("group.consumer", ms, heartbeat);
        // Share groups (KIP-932) have their own bounds, as the consumer protocol does.
        return timeouts("group.share", ms, heartbeat);
    }

    /** A broker-decided group type's session timeout and heartbeat interval ({@code <prefix>.*}), with bounds that admit them. */
    private KafkaCluster timeouts(String prefix, long session, long heartbeat) {
        brokerSetting(prefix + ".session.timeout.ms", Long.toString(session));
        brokerSetting(prefix + ".min.session.timeout.ms", Long.toString(Math.min(45_000, session)));
        brokerSetting(prefix + ".max.session.timeout.ms", Long.toString(Math.max(60_000, session)));
        brokerSetting(prefix + ".heartbeat.interval.ms", Long.toString(heartbeat));
        brokerSetting(prefix + ".min.heartbeat.interval.ms", Long.toString(Math.min(5000, heartbeat)));
        return brokerSetting(prefix + ".max.heartbeat.interval.ms", Long.toString(Math.max(15_000, heartbeat)));
    }

    /**
     * How long a share group's member holds the records it acquired before the broker hands them to
     * another ({@code group.share.record.lock.duration.ms}, 30 s by default, at least 15 s unless lowered):
     * what a killed share consumer's records wait. Before {@link #start}.
     */
    public KafkaCluster shareRecordLock(Duration lock) {
        long ms = lock.toMillis();
        brokerSetting("group.share.min.record.lock.duration.ms", Long.toString(Math.min(15_000, ms)));
        return brokerSetting("group.share.record.lock.duration.ms", Long.toString(ms));
    }

    /**
     * Formats the storage with {@code name} at {@code level} (kafka-storage format --feature), before the
     * first {@link #start}: transaction.version=1 runs the cluster on the transaction protocol Kafka 3
     * had, 2 (4.1's default) on KIP-890's. A cluster already formatted keeps what it was born with.
     */
    public KafkaCluster feature(String name, short level) {
        features.put(name, level);
        return this;
    }

    /** The cluster's finalized feature levels, as the controller reports them (transaction.version, group.version, ...). */
    public Map<String, Short> finalizedFeatures() {
        try (Admin admin = admin()) {
            Map<String, Short> levels = new java.util.TreeMap<>();
            admin.describeFeatures().featureMetadata().get(15, TimeUnit.SECONDS).finalizedFeatures()
                    .forEach((name, range) -> levels.put(name, range.maxVersionLevel()));
            return levels;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the cluster's features: " + e.getMessage(), e);
        }
    }

    /** A cluster of {@code size} nodes under {@code workDir}; ports are picked now. Nothing runs yet. */
    public static KafkaCluster create(Path workDir, int size) {
        return create(workDir, size, JvmFlags.STARTUP);
    }

    /** The same, its brokers' JVMs started with {@code flags}. */
    public static KafkaCluster create(Path workDir, int size, JvmFlags flags) {
        return new KafkaCluster(workDir, locateLibs(), size, 320, flags);
    }

    /** Finds the broker jars: the system property, else {@code kafka-broker-libs/target/libs} above the cwd. */
    public static Path locateLibs() {
        String configured = System.getProperty(LIBS_PROPERTY, System.getenv("DELIVERYLAB_KAFKA_LIBS"));
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("kafka-broker-libs/target/libs");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Kafka broker jars not found: build them with "
                + "'./mvnw -pl kafka-broker-libs package' or set -D" + LIBS_PROPERTY);
    }

    public List<KafkaNode> nodes() {
        return List.copyOf(nodes);
    }

    public KafkaNode node(int id) {
        return nodes.stream().filter(n -> n.id() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + id));
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    /** Formats storage (first time only), starts every node and waits until all brokers are registered. */
    public KafkaCluster start(Duration timeout) {
        List<JavaProcess> formats = new ArrayList<>();
        for (KafkaNode node : nodes) {
            node.writeConfig();
            if (!node.isFormatted()) {
                List<String> args = new ArrayList<>(List.of("format", "-t", CLUSTER_ID, "-c", node.configFile().toString()));
                features.forEach((name, level) -> args.addAll(List.of("--feature", name + "=" + level)));
                formats.add(tool(node.dir().resolve("format.log"), "kafka.tools.StorageTool", args.toArray(String[]::new)).start());
            }
        }
        for (JavaProcess format : formats) {
            if (format.awaitExit(Duration.ofSeconds(120)) != 0) {
                throw new IllegalStateException("formatting Kafka storage failed:\n" + format.tail(20));
            }
        }
        for (KafkaNode node : nodes) {
            start(node);
        }
        awaitBrokers(nodes.size(), timeout, true);
        enableShareGroups();
        return this;
    }

    /**
     * Finalizes {@code share.version=1}, KIP-932's share groups (a preview in Kafka 4.1, off by default),
     * on a new cluster and on one formatted before the lab used them alike.
     */
    private void enableShareGroups() {
        try (Admin admin = admin()) {
            var finalized = admin.describeFeatures().featureMetadata().get(15, TimeUnit.SECONDS).finalizedFeatures().get(SHARE_VERSION);
            if (finalized == null || finalized.maxVersionLevel() < 1) {
                admin.updateFeatures(Map.of(SHARE_VERSION, new org.apache.kafka.clients.admin.FeatureUpdate((short) 1,
                        org.apache.kafka.clients.admin.FeatureUpdate.UpgradeType.UPGRADE)),
                        new org.apache.kafka.clients.admin.UpdateFeaturesOptions()).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot enable share groups (share.version=1): " + e.getMessage(), e);
        }
    }

    private void start(KafkaNode node) {
        node.markStart(StartFailure.mark(node.dir().resolve("server.log")));
        List<String> options = new ArrayList<>(classes.forBroker());
        options.addAll(jvmOptions());
        node.attach(new JavaProcess("kafka-" + node.id(),
                jvmArgs(node.dir().resolve("log4j2.properties"), options),
                List.of("kafka.Kafka", node.configFile().toString()),
                node.dir().resolve("server.log")).start());
    }

    private List<String> jvmArgs(Path log4j, List<String> options) {
        writeLog4j(log4j);
        List<String> args = new java.util.ArrayList<>(options);
        args.addAll(List.of("-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + log4j, "-cp", libsDir.resolve("*").toString()));
        return args;
    }

    /** The brokers' JVM flags (heap, GC, JIT), as the bench prints them. */
    public List<String> jvmOptions() {
        return flags.after("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m");
    }

    /**
     * Runs a Kafka tool class (for example {@code kafka.tools.StorageTool}) as a child JVM, with the
     * {@link JvmFlags#STARTUP} flags whatever the brokers run with: a tool lives for seconds, and C2
     * compiling through it made ./lab bench's ProducerPerformance slower, not faster.
     */
    public JavaProcess tool(Path logFile, String mainClass, String... args) {
        List<String> mainAndArgs = new ArrayList<>();
        mainAndArgs.add(mainClass);
        mainAndArgs.addAll(List.of(args));
        List<String> options = new ArrayList<>(classes.forTool());
        options.addAll(JvmFlags.STARTUP.after("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m"));
        return new JavaProcess(mainClass, jvmArgs(workDir.resolve("tools-log4j2.properties"), options), mainAndArgs, logFile);
    }

    private static void writeLog4j(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, """
                    status = warn
                    appender.console.type = Console
                    appender.console.name = STDOUT
                    appender.console.layout.type = PatternLayout
                    appender.console.layout.pattern = [%d] %p %m (%c)%n
                    rootLogger.level = INFO
                    rootLogger.appenderRef.stdout.ref = STDOUT
                    logger.kafka.name = kafka
                    logger.kafka.level = INFO
                    logger.state.name = state.change.logger
                    logger.state.level = WARN
                    logger.request.name = kafka.request.logger
                    logger.request.level = WARN
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL one node. */
    public void kill(int nodeId) {
        node(nodeId).process().kill();
    }

    /** Starts a killed or stopped node again, on the same ports and data. */
    public void restart(int nodeId) {
        KafkaNode node = node(nodeId);
        if (node.process() != null && node.process().isAlive()) {
            throw new IllegalStateException("Kafka node " + nodeId + " is still running");
        }
        start(node);
    }

    public void pause(int nodeId) {
        node(nodeId).process().pause();
    }

    public void resume(int nodeId) {
        node(nodeId).process().resume();
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        // Kafka loads its plugins through the context class loader: under a Quarkus test that is not this class's.
        Thread thread = Thread.currentThread();
        ClassLoader context = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaCluster.class.getClassLoader());
        try {
            return Admin.create(props);
        } finally {
            thread.setContextClassLoader(context);
        }
    }

    /** Creates topics that do not exist yet (replication factor = cluster size, min ISR from the brokers). */
    public void createTopics(Collection<String> names, int partitions, Map<String, String> config) {
        try (Admin admin = admin()) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, partitions, (short) nodes.size()).configs(config)))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + names, e);
        }
    }

    /** Deletes topics (their files go a minute later, Kafka's file.delete.delay.ms); a missing one is no error. */
    public void deleteTopics(Collection<String> names) {
        try (Admin admin = admin()) {
            admin.deleteTopics(names).topicNameValues().forEach((name, done) -> {
                try {
                    done.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("cannot delete topic " + name, e.getCause());
                    }
                } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException("cannot delete topic " + name, e);
                }
            });
        }
    }

    /** The node that leads partition {@code partition} of {@code topic}, if it has a leader now. */
    public Optional<Integer> leaderOf(String topic, int partition) {
        return describe(List.of(topic)).map(d -> d.get(topic).partitions().get(partition)).map(TopicPartitionInfo::leader).map(Node::id);
    }

    /** How many partitions of {@code topics} each node leads now ({@link Leaders#count}); empty if the cluster does not answer. */
    public Map<Integer, Integer> partitionsLed(Collection<String> topics) {
        try (Admin admin = admin()) {
            return Leaders.count(admin, topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (Exception e) {
            return Map.of();
        }
    }

    /**
     * Whether every consumer group on the cluster is stable with {@code members} members: after a
     * member was killed and replaced, the replacement has joined and no rebalance is still under way.
     * False while no group exists or the cluster does not answer.
     */
    public boolean groupsStable(int members) {
        try (Admin admin = admin()) {
            // Consumer groups only: a share group is described by another call, and has no members to count here.
            List<String> groups = admin.listGroups(org.apache.kafka.clients.admin.ListGroupsOptions.forConsumerGroups()).all()
                    .get(15, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).toList();
            if (groups.isEmpty()) {
                return false;
            }
            return admin.describeConsumerGroups(groups).all().get(15, TimeUnit.SECONDS).values().stream()
                    .allMatch(g -> g.groupState() == org.apache.kafka.common.GroupState.STABLE && g.members().size() == members);
        } catch (Exception e) {
            return false;
        }
    }

    private Optional<Map<String, TopicDescription>> describe(Collection<String> topics) {
        try (Admin admin = admin()) {
            return Optional.of(admin.describeTopics(topics).allTopicNames().get(15, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The node that is the active KRaft controller (the quorum leader). */
    public Optional<Integer> activeController() {
        try (Admin admin = admin()) {
            return Optional.of(admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Waits until {@code count} brokers are registered with the controller. */
    public void awaitBrokers(int count, Duration timeout) {
        awaitBrokers(count, timeout, false);
    }

    /**
     * Waits for the brokers to register. {@code timeout} is measured from the last progress the
     * nodes show (their logs growing): a node recovering its logs after an unclean stop may take
     * long, but it writes as it goes, and is not given up on while it does (at most 10 minutes).
     */
    private void awaitBrokers(int count, Duration timeout, boolean failWhenANodeDies) {
        long started = System.nanoTime();
        long lastProgress = started;
        long logBytes = logBytes();
        String last = "no answer";
        try (Admin admin = admin()) {
            while (System.nanoTime() - lastProgress < timeout.toNanos() && System.nanoTime() - started < Duration.ofMinutes(10).toNanos()) {
                for (KafkaNode node : failWhenANodeDies ? nodes : List.<KafkaNode>of()) {
                    if (!node.process().isAlive()) {
                        throw new IllegalStateException("Kafka node " + node.id() + " exited during start: "
                                + StartFailure.cause(node.process().logFile(), node.startMark(), null) + " (log: " + node.process().logFile() + ")");
                    }
                }
                long bytes = logBytes();
                if (bytes != logBytes) {
                    logBytes = bytes;
                    lastProgress = System.nanoTime();
                }
                try {
                    int seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (seen >= count) {
                        return;
                    }
                    last = seen + " of " + count + " brokers registered";
                } catch (Exception e) {
                    last = e.getMessage();
                }
                sleep(250);
            }
        }
        throw new IllegalStateException("Kafka cluster not ready (no progress for " + timeout.toSeconds() + " s): " + last);
    }

    private long logBytes() {
        return nodes.stream().mapToLong(n -> StartFailure.mark(n.dir().resolve("server.log"))).sum();
    }

    @Override
    public void close() {
        // Every broker gets SIGTERM at once, each on a thread of its own: a clean shutdown of one waits
        // for the others' controller quorum. A parallel stream ran only two of the three at a time on
        // two cores, so the third waited 15 s for a quorum that was gone; a test JVM exiting meanwhile
        // left that broker running (seen after BenchSmokeIT: kafka-3 alive, its parent gone).
        List<Thread> stopping = new ArrayList<>();
        for (KafkaNode n : nodes) {
            if (n.process() != null) {
                Thread t = new Thread(() -> n.process().stop(Duration.ofSeconds(15)), "stop-kafka-" + n.id()); // wakes a paused node first
                t.start();
                stopping.add(t);
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // A broker SIGKILLed after its grace (exit 137) may have been cut off while writing the archive.
        classes.collect(nodes.stream().allMatch(n -> n.process() == null || n.process().awaitExit(Duration.ZERO) != 137));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
