package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.PostgresServer;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer started before its database (a pod scheduled ahead of PostgreSQL's) waits for it at
 * start instead of exiting, and answers once the database is up.
 */
class DatabaseAtStartIT {

    @Test
    void aConsumerStartedBeforeItsDatabaseWaitsForIt(@TempDir Path dir) throws Exception {
        TestStack stack = TestStack.get();
        try (PostgresServer late = PostgresServer.onFreePort(dir.resolve("pg"))) {
            Map<String, String> config = new HashMap<>(stack.serviceConfig());
            config.put("quarkus.datasource.jdbc.url", late.jdbcUrl());
            config.put("deliverylab.consumer.instance-id", "db-late");
            QuarkusApp consumer = new QuarkusApp("consumer", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                    config, dir.resolve("consumer.log"));
            try {
                Thread launcher = new Thread(() -> consumer.start(Duration.ofSeconds(120)));
                launcher.start();
                // Longer than one acquisition timeout (5 s): without retries the start fails here and the process exits.
                Thread.sleep(12_000);
                assertThat(consumer.isAlive()).as("still waiting for PostgreSQL:\n" + consumer.process().tail(20)).isTrue();
                assertThat(consumer.ready()).isFalse();
                late.start();
                launcher.join(Duration.ofSeconds(120).toMillis());
                assertThat(consumer.get("/q/health/ready")).hasValueSatisfying(r -> assertThat(r.statusCode()).isEqualTo(200));
            } finally {
                consumer.stop();
            }
        }
    }
}
