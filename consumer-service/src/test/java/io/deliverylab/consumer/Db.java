package io.deliverylab.consumer;

import io.deliverylab.stack.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the consumer's tables with plain JDBC, independent of the service under test. */
final class Db {

    private Db() {
    }

    static Connection connect() throws SQLException {
        var pg = TestStack.get().postgres();
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    static List<Integer> deliveryCounts(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT delivery_count FROM received_message WHERE run_id = ? ORDER BY seq")) {
            ps.setString(1, runId);
            List<Integer> counts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(rs.getInt(1));
                }
            }
            return counts;
        }
    }

    /** "first_instance>last_instance" per stored message of the run, with how many messages each. */
    static java.util.Map<String, Integer> writers(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT first_instance || '>' || last_instance, count(*) FROM received_message WHERE run_id = ? GROUP BY 1")) {
            ps.setString(1, runId);
            java.util.Map<String, Integer> writers = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    writers.put(rs.getString(1), rs.getInt(2));
                }
            }
            return writers;
        }
    }

    /** The run's polls as consumer_poll recorded them, in id order: {instance, generation, partition, first, last, records} as text. */
    static List<String[]> polls(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT instance, generation, kafka_partition, first_offset, last_offset, records FROM consumer_poll WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            List<String[]> polls = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    polls.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)});
                }
            }
            return polls;
        }
    }

    static List<Long> storedSeqs(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT seq FROM received_message WHERE run_id = ? ORDER BY seq")) {
            ps.setString(1, runId);
            List<Long> seqs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
            return seqs;
        }
    }

    /** Per refused seq, the broker's delivery count of each refusal, in the order refused. */
    static Map<Long, List<Integer>> refusals(String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT seq, delivery_count FROM consumer_refusal WHERE run_id = ? ORDER BY id")) {
            ps.setString(1, runId);
            Map<Long, List<Integer>> refusals = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    refusals.computeIfAbsent(rs.getLong(1), s -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
            return refusals;
        }
    }

    static Map<String, Long> balances(String table, String runId) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT account_key, balance FROM " + table + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            Map<String, Long> balances = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    balances.put(rs.getString(1), rs.getLong(2));
                }
            }
            return balances;
        }
    }

    static Map<Integer, Long> storedOffsets(String groupId, String topic) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT kafka_partition, next_offset FROM consumer_offset WHERE group_id = ? AND topic = ?")) {
            ps.setString(1, groupId);
            ps.setString(2, topic);
            Map<Integer, Long> offsets = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    offsets.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return offsets;
        }
    }
}
