package io.deliverylab.lab.observe;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.Tables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Every SQL the lab runs, read-only, against the consumer's tables ({@link Tables}). */
public final class LabDatabase {

    private final StackInfo info;

    public LabDatabase(StackInfo info) {
        this.info = info;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(info.jdbcUrl(), info.jdbcUser(), info.jdbcPassword());
        c.setReadOnly(true);
        return c;
    }

    /** Distinct messages stored per run; empty while PostgreSQL is down (it may be, on purpose). */
    public Map<String, Long> appliedCounts(Collection<String> runIds) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + Tables.RECEIVED_MESSAGE + " WHERE run_id = ?")) {
            for (String id : runIds) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.put(id, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            return counts;
        }
        return counts;
    }

    /** A connection held open for repeated reads ({@link BalanceWatch}'s snapshots); the caller closes it. */
    Connection open() throws SQLException {
        return connect();
    }

    /**
     * Per run, one snapshot of its balances, read in one statement (so one MVCC snapshot): the sum of
     * its correct balances and how far its naive balances are off them, summed over accounts. A run
     * with nothing applied yet has no row.
     */
    static Map<String, long[]> totals(Connection c, Collection<String> runIds) throws SQLException {
        Map<String, long[]> totals = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.run_id, coalesce(sum(a.balance), 0), "
                + "coalesce(sum(abs(n.balance - coalesce(a.balance, 0))), 0) FROM " + Tables.NAIVE_BALANCE + " n LEFT JOIN "
                + Tables.ACCOUNT_BALANCE + " a ON a.run_id = n.run_id AND a.account_key = n.account_key "
                + "WHERE n.run_id = ANY (?) GROUP BY n.run_id")) {
            ps.setArray(1, c.createArrayOf("varchar", runIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    totals.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        return totals;
    }

    /**
     * What the database holds for a run: its stored messages, both balances, which instance wrote
     * duplicates, its polls and its refused deliveries.
     */
    public record RunRows(Map<Long, Observation.Stored> stored, Map<String, Long> correct, Map<String, Long> naive,
            Map<String, Long> duplicatesByInstance, List<Observation.Poll> polls, List<Observation.Refusal> refusals) {
    }

    public RunRows run(String runId) {
        Map<Long, Observation.Stored> stored = new HashMap<>();
        Map<String, Long> duplicatesByInstance = new TreeMap<>();
        // One String per account, not per row: a run of a million messages has a few dozen keys.
        Map<String, String> keys = new HashMap<>();
        try (Connection c = connect()) {
            // Streamed in pages (a cursor needs a transaction): a whole run's rows at once do not fit the lab's heap.
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, account_key, amount, delivery_count, apply_order, last_instance, first_partition, first_offset, "
                    + "produced_at, extract(epoch FROM first_delivered_at) * 1000 FROM "
                    + Tables.RECEIVED_MESSAGE + " WHERE run_id = ?")) {
                ps.setString(1, runId);
                ps.setFetchSize(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = keys.computeIfAbsent(rs.getString(2), k -> k);
                        stored.put(rs.getLong(1), new Observation.Stored(rs.getLong(1), key, rs.getLong(3),
                                rs.getInt(4), rs.getLong(5), rs.getInt(7), rs.getLong(8), rs.getLong(9), rs.getDouble(10)));
                        if (rs.getInt(4) > 1) {
                            duplicatesByInstance.merge(rs.getString(6), (long) rs.getInt(4) - 1, Long::sum);
                        }
                    }
                }
            }
            return new RunRows(stored, balances(c, Tables.ACCOUNT_BALANCE, runId), balances(c, Tables.NAIVE_BALANCE, runId),
                    duplicatesByInstance, polls(c, runId), refusals(c, runId));
        } catch (SQLException e) {
            throw new LabException("cannot read the database " + info.jdbcUrl() + ": " + e.getMessage());
        }
    }

    /** The run's polls (consumer_poll), in the order they were applied: empty when none were recorded. */
    private static List<Observation.Poll> polls(Connection c, String runId) throws SQLException {
        List<Observation.Poll> polls = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT instance, generation, kafka_partition, "
                + "first_offset, last_offset, records FROM " + Tables.CONSUMER_POLL + " WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    polls.add(new Observation.Poll(rs.getString(1).intern(), rs.getInt(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                            rs.getInt(6)));
                }
            }
        }
        return polls;
    }

    /** The run's refused deliveries (consumer_refusal), in the order refused: empty when none were recorded. */
    private static List<Observation.Refusal> refusals(Connection c, String runId) throws SQLException {
        List<Observation.Refusal> refusals = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, instance, delivery_count FROM "
                + Tables.CONSUMER_REFUSAL + " WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refusals.add(new Observation.Refusal(rs.getLong(1), rs.getString(2), rs.getInt(3)));
                }
            }
        }
        return refusals;
    }

    private static Map<String, Long> balances(Connection c, String table, String runId) throws SQLException {
        Map<String, Long> into = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT account_key, balance FROM " + table + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return into;
    }

    /** Messages per second from the run's first send to its last first-apply (the bench's end-to-end rate). */
    public double endToEndRate(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*), "
                + "extract(epoch FROM max(first_delivered_at)) * 1000 - min(produced_at) FROM " + Tables.RECEIVED_MESSAGE
                + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) / Math.max(0.001, rs.getDouble(2) / 1000.0);
            }
        }
    }

    /** p50, p99, p99.9 of producedAt to first apply in ms, and the count, for a run. */
    public double[] latencyPercentiles(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT percentile_cont(ARRAY[0.5, 0.99, 0.999]) "
                + "WITHIN GROUP (ORDER BY extract(epoch FROM first_delivered_at) * 1000 - produced_at), count(*) FROM "
                + Tables.RECEIVED_MESSAGE + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Double[] p = (Double[]) rs.getArray(1).getArray();
                return new double[] {p[0], p[1], p[2], rs.getLong(2)};
            }
        }
    }

    /** One message's first delivery: where it was in its topic, when it was due and when it was first applied (epoch ms). */
    public record FirstDelivery(int partition, long offset, long dueMillis, double appliedMillis) {
    }

    /** Every first delivery of a run, for splitting its latency at the log (see the bench's LatencySplit). */
    public List<FirstDelivery> firstDeliveries(String runId) throws SQLException {
        List<FirstDelivery> rows = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT first_partition, first_offset, produced_at, "
                + "extract(epoch FROM first_delivered_at) * 1000 FROM " + Tables.RECEIVED_MESSAGE + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new FirstDelivery(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4)));
                }
            }
        }
        return rows;
    }

    /** How many partitions of a run have a message first applied after {@code sinceMillis} (epoch ms); -1 if unreadable. */
    public int partitionsAppliedSince(String runId, long sinceMillis) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT count(DISTINCT first_partition) FROM "
                + Tables.RECEIVED_MESSAGE + " WHERE run_id = ? AND first_delivered_at > to_timestamp(? / 1000.0)")) {
            ps.setString(1, runId);
            ps.setLong(2, sinceMillis);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The bench's raw database limit: plain JDBC batched upserts into the consumer's own table, 500 rows per transaction. */
    public void benchUpserts(String runId, long rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(info.jdbcUrl(), info.jdbcUser(), info.jdbcPassword())) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Tables.RECEIVED_MESSAGE + " AS m (run_id, seq, mode, "
                    + "account_key, amount, produced_at, first_partition, first_offset, delivery_count) "
                    + "VALUES (?, ?, 'bench', ?, ?, 0, 0, ?, 1) ON CONFLICT (run_id, seq) DO UPDATE SET delivery_count = m.delivery_count + 1")) {
                for (long seq = 0; seq < rows; seq++) {
                    ps.setString(1, runId);
                    ps.setLong(2, seq);
                    ps.setString(3, io.deliverylab.contract.Workload.keyFor(seq, 8));
                    ps.setLong(4, io.deliverylab.contract.Workload.amountFor(runId, seq));
                    ps.setLong(5, seq);
                    ps.addBatch();
                    if (seq % 500 == 499) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }

    /** Waits until a run has at least {@code messages} distinct messages stored. */
    public void awaitApplied(String runId, long messages, java.time.Duration timeout) throws InterruptedException {
        awaitApplied(runId, messages, false, timeout);
    }

    /**
     * Waits until a run has all its {@code messages} stored, or, when {@code mayLose} (at-most-once),
     * until its producer has sent everything and nothing new was stored for {@link #QUIET}: what is
     * missing then was lost, which the mode allows. Returns how many are stored.
     */
    public long awaitApplied(String runId, long messages, boolean mayLose, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long applied = appliedCounts(java.util.List.of(runId)).getOrDefault(runId, 0L);
            if (applied >= messages) {
                return applied;
            }
            if (applied != last) {
                last = applied;
                lastChange = System.nanoTime();
            }
            if (mayLose && System.nanoTime() - lastChange > QUIET.toNanos() && ServiceClient.run(info.producerUrl(), runId)
                    .map(v -> v.state().finished()).orElse(false)) {
                return applied;
            }
            Thread.sleep(200);
        }
        long applied = appliedCounts(java.util.List.of(runId)).getOrDefault(runId, 0L);
        throw new LabException("run " + runId + " did not apply " + messages + " messages within " + timeout + ": " + applied
                + " applied (by partition and instance: " + appliedByPartition(runId) + ")");
    }

    /** How long a finished run of a mode that may lose must store nothing new before the rest counts as lost. */
    static final java.time.Duration QUIET = java.time.Duration.ofSeconds(10);

    /** How many of a run's messages each partition's consumers applied first: where a stuck run stopped. */
    private java.util.Map<String, Long> appliedByPartition(String runId) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT first_partition, first_instance, count(*) FROM "
                + Tables.RECEIVED_MESSAGE + " WHERE run_id = ? GROUP BY 1, 2")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put("p" + rs.getInt(1) + "/" + rs.getString(2), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            counts.put("unread: " + e.getMessage(), 0L);
        }
        return counts;
    }
}
