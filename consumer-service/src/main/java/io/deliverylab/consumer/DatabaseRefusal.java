package io.deliverylab.consumer;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Tells a write the database refused (a constraint or a value it will never take: SQLSTATE classes 22
 * and 23) from one that failed on the way (PostgreSQL down, a lost connection), which a retry can mend.
 */
final class DatabaseRefusal {

    private DatabaseRefusal() {
    }

    /** The database's reason when {@code failure} is a refusal that no retry can change; empty otherwise. */
    static Optional<String> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return Optional.of(sql.getSQLState() + ": " + sql.getMessage());
            }
        }
        return Optional.empty();
    }
}
