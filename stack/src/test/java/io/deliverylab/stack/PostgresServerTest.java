package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The stack's PostgreSQL makes a commit durable before it returns. The at-least-once consumer
 * commits its Kafka offsets once the database commit has returned; with the embedded server's
 * defaults (fsync off, synchronous_commit off) a power cut of the stack lost such rows.
 */
class PostgresServerTest {

    @Test
    void aCommitIsDurableWhenItReturns() throws Exception {
        PostgresServer postgres = TestStack.get().postgres();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement s = c.createStatement()) {
            assertThat(setting(s, "fsync")).isEqualTo("on");
            assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
        }
    }

    private static String setting(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
