package io.deliverylab.stack;

import io.deliverylab.contract.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** One KRaft node (broker + controller): its ports, its directory and its process. */
public final class KafkaNode {

    private final int id;
    private final int port;
    private final int controllerPort;
    private final String voters;
    private final int clusterSize;
    private final Path dir;
    private volatile JavaProcess process;
    /** Broker settings added to the generated ones (a later line wins in a properties file). */
    private final Map<String, String> extra = new java.util.concurrent.ConcurrentHashMap<>();

    KafkaNode(int id, int port, int controllerPort, String voters, int clusterSize, Path dir) {
        this.id = id;
        this.port = port;
        this.controllerPort = controllerPort;
        this.voters = voters;
        this.clusterSize = clusterSize;
        this.dir = dir;
    }

    public int id() {
        return id;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    private volatile long startMark;

    /** Where this start's lines begin in server.log, so a failure names this start's error. */
    void markStart(long mark) {
        startMark = mark;
    }

    long startMark() {
        return startMark;
    }

    public Path dir() {
        return dir;
    }

    public JavaProcess process() {
        return process;
    }

    void attach(JavaProcess process) {
        this.process = process;
    }

    Path configFile() {
        return dir.resolve("server.properties");
    }

    boolean isFormatted() {
        return Files.exists(dir.resolve("data/meta.properties"));
    }

    void set(String key, String value) {
        extra.put(key, value);
    }

    void writeConfig() {
        int rf = Math.min(3, clusterSize);
        String config = """
                process.roles=broker,controller
                node.id=%d
                controller.quorum.voters=%s
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%s
                num.partitions=%d
                default.replication.factor=%d
                min.insync.replicas=%d
                offsets.topic.replication.factor=%d
                offsets.topic.num.partitions=3
                transaction.state.log.replication.factor=%d
                transaction.state.log.min.isr=%d
                transaction.state.log.num.partitions=3
                group.initial.rebalance.delay.ms=0
                unclean.leader.election.enable=false
                auto.create.topics.enable=true
                num.network.threads=2
                num.io.threads=2
                log.flush.interval.messages=9223372036854775807
                """.formatted(id, voters, port, controllerPort, port, dir.resolve("data"), Topics.PARTITIONS,
                rf, Math.max(1, rf - 1), rf, rf, Math.max(1, rf - 1))
                + extra.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue() + "\n")
                        .collect(java.util.stream.Collectors.joining());
        try {
            Files.createDirectories(dir);
            Files.writeString(configFile(), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
