package io.deliverylab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.deliverylab.contract.Topics;
import java.util.List;
import java.util.Map;

/**
 * One real 3-node Kafka cluster and one PostgreSQL per test JVM, started on first use and stopped
 * when the JVM exits. Shared by every test class of a module so the cluster starts once; the
 * services' tests load this artifact parent first, so a test profile's restart shares it too.
 */
public final class TestStack {

    private static TestStack instance;

    private final Path workDir;
    private final KafkaCluster kafka;
    private final PostgresServer postgres;

    private TestStack(Path workDir) {
        this.workDir = workDir;
        this.postgres = PostgresServer.onFreePort(workDir.resolve("postgres"));
        // The services' shipped 6 s for the classic protocol, and the same from the brokers for KIP-848's.
        this.kafka = KafkaCluster.create(workDir, 3).groupSessionTimeout(Duration.ofSeconds(6))
                .shareRecordLock(Duration.ofSeconds(5));
    }

    public static synchronized TestStack get() {
        if (instance == null) {
            try {
                Path target = Path.of("target");
                Path base = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
                TestStack stack = new TestStack(Files.createTempDirectory(base.toAbsolutePath(), "stack-"));
                Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "test-stack-stop"));
                long started = System.nanoTime();
                stack.postgres.start();
                stack.kafka.start(Duration.ofSeconds(120));
                stack.kafka.createTopics(LabTopics.perMode(), Topics.PARTITIONS, Map.of());
                stack.kafka.createTopics(List.of(Topics.DEAD_LETTER), 1, Map.of());
                System.out.printf("[test-stack] Kafka %s and PostgreSQL %s ready in %d ms (work dir %s)%n",
                        stack.kafka.bootstrapServers(), stack.postgres.jdbcUrl(),
                        (System.nanoTime() - started) / 1_000_000, stack.workDir);
                instance = stack;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public KafkaCluster kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public Path workDir() {
        return workDir;
    }

    /** The configuration a Quarkus service needs to reach this stack. */
    public Map<String, String> serviceConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password());
    }

    private void stop() {
        kafka.close();
        postgres.close();
    }
}
