package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.Session;

/**
 * Applies a batch of deliveries in ONE database transaction with idempotent upserts:
 * {@code received_message} keyed by (run_id, seq) counts every delivery, {@code account_balance}
 * adds an amount only for a new (run_id, seq), {@code naive_balance} adds it on every delivery (a bank
 * transfer's two legs, credit and debit, in the same statement), and
 * {@code consumer_poll} records what the batch took from each partition.
 * The three upserts are one SQL statement over arrays (one round trip per batch).
 */
@ApplicationScoped
public class TransferApplier {

    @Inject
    HoldPoint hold;

    @Inject
    ConsumerMetrics metrics;

    /** Recorded with every write: with several consumers, whose write it was. */
    @jakarta.inject.Inject
    ConsumerSettings settings;

    private static final String UPSERT = """
            WITH input AS (
                SELECT * FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::bigint[], ?::bigint[], ?::int[], ?::bigint[], ?::int[],
                                     ?::varchar[])
                    AS t(run_id, seq, account_key, amount, produced_at, first_partition, first_offset, deliveries, from_account)
            ), upserted AS (
                INSERT INTO received_message AS m (run_id, seq, mode, account_key, amount, produced_at,
                                                   first_partition, first_offset, delivery_count, first_instance, last_instance,
                                                   from_account)
                SELECT run_id, seq, ?, account_key, amount, produced_at, first_partition, first_offset, deliveries, ?, ?, from_account
                FROM input ORDER BY run_id, seq
                ON CONFLICT (run_id, seq) DO UPDATE SET delivery_count = m.delivery_count + EXCLUDED.delivery_count,
                                                        last_instance = EXCLUDED.last_instance
                RETURNING m.run_id, m.account_key, m.amount, m.from_account, (xmax = 0) AS inserted
            ), legs AS (
                SELECT run_id, account_key, amount, inserted FROM upserted
                UNION ALL SELECT run_id, from_account, -amount, inserted FROM upserted WHERE from_account IS NOT NULL
            ), delivered_legs AS (
                SELECT run_id, account_key, amount, deliveries FROM input
                UNION ALL SELECT run_id, from_account, -amount, deliveries FROM input WHERE from_account IS NOT NULL
            ), correct AS (
                INSERT INTO account_balance AS b (run_id, account_key, balance, transfers)
                SELECT run_id, account_key, sum(amount), count(*) FROM legs WHERE inserted
                GROUP BY run_id, account_key ORDER BY run_id, account_key
                ON CONFLICT (run_id, account_key)
                DO UPDATE SET balance = b.balance + EXCLUDED.balance, transfers = b.transfers + EXCLUDED.transfers
            ), naive AS (
                INSERT INTO naive_balance AS n (run_id, account_key, balance)
                SELECT run_id, account_key, sum(amount * deliveries) FROM delivered_legs
                GROUP BY run_id, account_key ORDER BY run_id, account_key
                ON CONFLICT (run_id, account_key) DO UPDATE SET balance = n.balance + EXCLUDED.balance
            )
            SELECT count(*) FILTER (WHERE inserted) FROM upserted
            """;

    private static final String RECORD_POLLS = """
            INSERT INTO consumer_poll (run_id, mode, instance, generation, kafka_partition, first_offset, last_offset, records)
            SELECT run_id, ?, ?, ?, kafka_partition, first_offset, last_offset, records
            FROM unnest(?::varchar[], ?::int[], ?::bigint[], ?::bigint[], ?::int[])
                AS t(run_id, kafka_partition, first_offset, last_offset, records)
            """;

    private static final String REFUSE = """
            INSERT INTO consumer_refusal (run_id, seq, mode, instance, delivery_count, reason) VALUES (?, ?, ?, ?, ?, ?)
            """;

    private static final String LOCK_OFFSETS =
            "SELECT kafka_partition, next_offset FROM consumer_offset WHERE group_id = ? AND topic = ? FOR UPDATE";

    private static final String STORE_OFFSET = """
            INSERT INTO consumer_offset AS o (group_id, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?)
            ON CONFLICT (group_id, topic, kafka_partition)
            DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset)
            """;

    /** What one batch did. */
    public record Outcome(int deliveries, int applied, int skippedByOffsetStore) {
        public int duplicates() {
            return deliveries - applied;
        }
    }

    /** at-most-once and at-least-once: the upserts alone. */
    @Transactional
    public Outcome apply(DeliveryMode mode, List<Delivery> deliveries) {
        Outcome outcome = session().doReturningWork(c -> {
            recordPolls(c, mode, deliveries);
            return new Outcome(deliveries.size(), upsert(c, mode, deliveries), 0);
        });
        hold.inTransaction(mode, deliveries.size());
        return outcome;
    }

    /**
     * The upserts, then {@code beforeCommit} in the same transaction, after the statement has stamped
     * each row's apply time and order: if it throws, the transaction rolls back and nothing of the
     * batch is kept.
     */
    @Transactional
    public Outcome apply(DeliveryMode mode, List<Delivery> deliveries, Runnable beforeCommit) {
        Outcome outcome = apply(mode, deliveries);
        beforeCommit.run();
        return outcome;
    }

    /**
     * exactly-once: under a lock on the group's stored offsets, drops deliveries below them (already
     * applied), applies the rest and stores the next offsets, all in this one transaction.
     */
    @Transactional
    public Outcome applyWithOffsets(DeliveryMode mode, String groupId, List<Delivery> deliveries) {
        return session().doReturningWork(c -> {
            List<Delivery> fresh = new ArrayList<>(deliveries.size());
            Map<String, Map<Integer, Long>> stored = new LinkedHashMap<>();
            for (Delivery d : deliveries) {
                long next = stored.computeIfAbsent(d.topic(), t -> lockOffsets(c, groupId, t)).getOrDefault(d.partition(), -1L);
                if (d.offset() >= next) {
                    fresh.add(d);
                }
            }
            recordPolls(c, mode, deliveries);
            int applied = fresh.isEmpty() ? 0 : upsert(c, mode, fresh);
            storeOffsets(c, groupId, fresh);
            hold.inTransaction(mode, deliveries.size());
            return new Outcome(fresh.size(), applied, deliveries.size() - fresh.size());
        });
    }

    /** Records that this instance could not apply {@code delivery} and hands it back, on its {@code deliveryCount}-th delivery. */
    @Transactional
    public void refuse(DeliveryMode mode, Delivery delivery, int deliveryCount, String reason) {
        session().doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(REFUSE)) {
                ps.setString(1, delivery.transfer().runId());
                ps.setLong(2, delivery.transfer().seq());
                ps.setString(3, mode.wireName());
                ps.setString(4, settings.instanceId());
                ps.setInt(5, deliveryCount);
                ps.setString(6, reason.length() > 500 ? reason.substring(0, 500) : reason);
                ps.executeUpdate();
            }
        });
    }

    private static Session session() {
        return Panache.getEntityManager().unwrap(Session.class);
    }

    private int upsert(Connection c, DeliveryMode mode, List<Delivery> deliveries) throws SQLException {
        // Aggregate repeats inside the batch: one row per (run_id, seq), with its delivery count.
        Map<String, Object[]> rows = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            var t = d.transfer();
            rows.merge(t.runId() + '\u0000' + t.seq(),
                    new Object[] {t.runId(), t.seq(), t.key(), t.amount(), t.producedAt(), d.partition(), d.offset(), 1, t.from()},
                    (first, again) -> {
                        first[7] = (Integer) first[7] + 1;
                        return first;
                    });
        }
        int n = rows.size();
        String[] types = {"varchar", "bigint", "varchar", "bigint", "bigint", "int4", "bigint", "int4", "varchar"};
        Object[][] columns = new Object[types.length][n];
        int i = 0;
        for (Object[] row : rows.values()) {
            for (int col = 0; col < types.length; col++) {
                columns[col][i] = row[col];
            }
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (int col = 0; col < types.length; col++) {
                ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
            }
            ps.setString(types.length + 1, mode.wireName());
            ps.setString(types.length + 2, settings.instanceId());
            ps.setString(types.length + 3, settings.instanceId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * The batch as polled, per run and partition (first and last offset, how many records), under
     * this instance and its group generation now: the history's record of the poll, kept only if the
     * batch's transaction commits.
     */
    private void recordPolls(Connection c, DeliveryMode mode, List<Delivery> deliveries) throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        Map<String, long[]> polls = new LinkedHashMap<>(); // run and partition -> first, last, records
        Map<String, String> runs = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            String k = d.transfer().runId() + '\u0000' + d.partition();
            runs.putIfAbsent(k, d.transfer().runId());
            polls.merge(k, new long[] {d.offset(), d.offset(), 1, d.partition()}, (a, b) -> {
                a[0] = Math.min(a[0], b[0]);
                a[1] = Math.max(a[1], b[1]);
                a[2]++;
                return a;
            });
        }
        int n = polls.size();
        String[] runIds = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] firsts = new Long[n];
        Long[] lasts = new Long[n];
        Integer[] records = new Integer[n];
        int i = 0;
        for (var e : polls.entrySet()) {
            runIds[i] = runs.get(e.getKey());
            partitions[i] = (int) e.getValue()[3];
            firsts[i] = e.getValue()[0];
            lasts[i] = e.getValue()[1];
            records[i] = (int) e.getValue()[2];
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD_POLLS)) {
            ps.setString(1, mode.wireName());
            ps.setString(2, settings.instanceId());
            ps.setInt(3, (int) metrics.generation(mode));
            ps.setArray(4, c.createArrayOf("varchar", runIds));
            ps.setArray(5, c.createArrayOf("int4", partitions));
            ps.setArray(6, c.createArrayOf("bigint", firsts));
            ps.setArray(7, c.createArrayOf("bigint", lasts));
            ps.setArray(8, c.createArrayOf("int4", records));
            ps.executeUpdate();
        }
    }

    private static Map<Integer, Long> lockOffsets(Connection c, String groupId, String topic) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_OFFSETS)) {
            ps.setString(1, groupId);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return offsets;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void storeOffsets(Connection c, String groupId, List<Delivery> deliveries) throws SQLException {
        Map<String, Delivery> last = new LinkedHashMap<>();
        for (Delivery d : deliveries) {
            last.merge(d.topic() + '/' + d.partition(), d, (a, b) -> b.offset() > a.offset() ? b : a);
        }
        try (PreparedStatement ps = c.prepareStatement(STORE_OFFSET)) {
            for (Delivery d : last.values()) {
                ps.setString(1, groupId);
                ps.setString(2, d.topic());
                ps.setInt(3, d.partition());
                ps.setLong(4, d.offset() + 1);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
