package io.deliverylab.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.TransferCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One experiment: a workload per mode, all at once, under one fault schedule. Then it waits
 * (bounded) for the system to settle, gathers an {@link Observation} per run and hands it to the checker.
 */
public final class Experiment {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The workload: what each mode's run sends. */
    public record Workload(long messages, int keys, Integer ratePerSecond) {
    }

    /** A timeline sample: seconds since start, messages applied per run so far. */
    public record Sample(double seconds, Map<String, Long> applied) {
    }

    /** What an experiment produced. */
    public record Outcome(String fault, String schedule, long startedAt, List<Verdict> verdicts, List<FaultEvent> events,
            List<Sample> timeline, double seconds) {
    }

    /** Nothing applied for this long (longer than the consumers' 6 s session timeout) counts as settled. */
    private static final long QUIET_MILLIS = 8000;

    private final StackControl stack;
    private final PrintStream out;
    private final Duration settleTimeout;

    public Experiment(StackControl stack, PrintStream out, Duration settleTimeout) {
        this.stack = stack;
        this.out = out;
        this.settleTimeout = settleTimeout;
    }

    public Outcome run(List<DeliveryMode> modes, Workload workload, FaultSchedule schedule, String faultName)
            throws InterruptedException {
        StackInfo info = stack.info();
        long start = System.currentTimeMillis();
        Map<DeliveryMode, String> runs = new LinkedHashMap<>();
        for (DeliveryMode mode : modes) {
            runs.put(mode, startRun(info, mode, workload));
        }
        Map<String, Long> acked = new HashMap<>();
        Nemesis nemesis = new Nemesis(stack, schedule,
                () -> runs.values().stream().mapToLong(id -> acked.getOrDefault(id, 0L)).min().orElse(0), start);
        Thread nemesisThread = new Thread(nemesis, "nemesis");
        nemesisThread.start();

        List<Sample> timeline = new ArrayList<>();
        Map<String, String> states = new HashMap<>();
        Map<String, Long> applied = new HashMap<>();
        long lastChange = System.currentTimeMillis();
        long settledAt = -1;
        boolean unseen = false;
        long producerDoneAt = -1;
        while (true) {
            for (String id : runs.values()) {
                JsonNode run = producerRun(info, id);
                if (run != null) {
                    acked.put(id, run.path("acknowledged").asLong());
                    states.put(id, run.path("state").asText());
                }
            }
            Map<String, Long> now = appliedCounts(info, runs.values());
            // Quiet only counts while the consumer is up: a dead or restarting consumer applies nothing, yet is not done.
            if (!now.equals(applied) || !consumerReady(info)) {
                lastChange = System.currentTimeMillis();
                applied = now;
            }
            timeline.add(new Sample((System.currentTimeMillis() - start) / 1000.0, Map.copyOf(now)));
            progress(runs, acked, applied, workload, nemesis.current(), start);

            boolean produced = runs.values().stream().allMatch(id -> !"RUNNING".equals(states.getOrDefault(id, "RUNNING")));
            if (produced && nemesis.finished() && producerDoneAt < 0) {
                producerDoneAt = System.currentTimeMillis();
            }
            if (producerDoneAt > 0) {
                Map<String, Long> appliedNow = applied;
                boolean complete = runs.values().stream().allMatch(id -> appliedNow.getOrDefault(id, 0L) >= workload.messages());
                boolean quiet = System.currentTimeMillis() - lastChange > QUIET_MILLIS;
                if (complete || quiet) {
                    settledAt = lastChange;
                    break;
                }
                if (System.currentTimeMillis() - producerDoneAt > settleTimeout.toMillis()) {
                    unseen = true;
                    break;
                }
            } else if (System.currentTimeMillis() - start > settleTimeout.toMillis() * 4) {
                unseen = true; // the producer never finished
                break;
            }
            Thread.sleep(500);
        }
        nemesisThread.interrupt();
        nemesisThread.join(30_000);
        out.println();

        List<FaultEvent> events = nemesis.events();
        long lastFault = events.stream().filter(e -> !e.action().equals(Nemesis.HEAL)).mapToLong(FaultEvent::atMillis).max().orElse(-1);
        long quiescence = lastFault < 0 || unseen ? -1 : Math.max(0, settledAt - lastFault);
        List<Verdict> verdicts = new ArrayList<>();
        for (var e : runs.entrySet()) {
            Observation o = observe(info, e.getKey(), e.getValue(), workload, unseen, quiescence);
            verdicts.add(Checker.check(o, faultName));
        }
        return new Outcome(faultName, schedule.describe(), start, verdicts, events, timeline,
                (System.currentTimeMillis() - start) / 1000.0);
    }

    /** On a terminal the line redraws itself; in a log (CI) a line is written every 5 s instead. */
    private static final boolean TERMINAL = System.console() != null;
    private long lastLogged;

    private void progress(Map<DeliveryMode, String> runs, Map<String, Long> acked, Map<String, Long> applied,
            Workload workload, String fault, long start) {
        if (!TERMINAL && System.currentTimeMillis() - lastLogged < 5000) {
            return;
        }
        lastLogged = System.currentTimeMillis();
        StringBuilder line = new StringBuilder(TERMINAL ? "\r" : "");
        for (var e : runs.entrySet()) {
            line.append(String.format("%s produced %d applied %d/%d | ", e.getKey().wireName(),
                    acked.getOrDefault(e.getValue(), 0L), applied.getOrDefault(e.getValue(), 0L), workload.messages()));
        }
        line.append(String.format("fault: %-16s %5.1f s ", fault, (System.currentTimeMillis() - start) / 1000.0));
        if (!TERMINAL) {
            line.append('\n');
        }
        out.print(line);
        out.flush();
    }

    private static String startRun(StackInfo info, DeliveryMode mode, Workload w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", mode.wireName());
        body.put("messages", w.messages());
        body.put("keys", w.keys());
        if (w.ratePerSecond() != null) {
            body.put("ratePerSecond", w.ratePerSecond());
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(info.producerUrl() + "/runs"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new LabException("producer refused the run: " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).get("id").asText();
        } catch (IOException e) {
            throw new LabException("producer at " + info.producerUrl() + " does not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

    /** The run as the producer reports it, or null while the producer is down. */
    private static JsonNode producerRun(StackInfo info, String id) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(info.producerUrl() + "/runs/" + id))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean consumerReady(StackInfo info) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(info.consumerUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Connection db(StackInfo info) throws SQLException {
        Connection c = DriverManager.getConnection(info.jdbcUrl(), info.jdbcUser(), info.jdbcPassword());
        c.setReadOnly(true);
        return c;
    }

    private static Map<String, Long> appliedCounts(StackInfo info, java.util.Collection<String> runIds) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db(info); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM received_message WHERE run_id = ?")) {
            for (String id : runIds) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    counts.put(id, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            return counts; // PostgreSQL may be down on purpose
        }
        return counts;
    }

    /** Gathers the run's facts from the ledger, the topic (twice) and the database, read-only. */
    Observation observe(StackInfo info, DeliveryMode mode, String runId, Workload w, boolean unseen, long quiescence) {
        List<Long> uncommitted = seqsInLog(info, mode, runId, TopicReader.Isolation.READ_UNCOMMITTED);
        List<Long> committed = seqsInLog(info, mode, runId, TopicReader.Isolation.READ_COMMITTED);
        Map<Long, Observation.Stored> stored = new HashMap<>();
        Map<String, Long> correct = new HashMap<>();
        Map<String, Long> naive = new HashMap<>();
        try (Connection c = db(info)) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, account_key, amount, delivery_count, apply_order FROM received_message WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getLong(1), new Observation.Stored(rs.getLong(1), rs.getString(2), rs.getLong(3),
                                rs.getInt(4), rs.getLong(5)));
                    }
                }
            }
            readBalances(c, "account_balance", runId, correct);
            readBalances(c, "naive_balance", runId, naive);
        } catch (SQLException e) {
            throw new LabException("cannot read the database " + info.jdbcUrl() + ": " + e.getMessage());
        }
        // Without a ledger (on Kubernetes it dies with the pod) every record in the log counts as acknowledged:
        // a superset of the acknowledgements for acks=all, so the at-least-once check only gets stricter.
        Set<Long> acked = info.producerLedger() == null ? new HashSet<>(uncommitted)
                : ackedSeqs(Path.of(info.producerLedger()), runId);
        return new Observation(runId, mode, w.messages(), w.keys(), acked,
                uncommitted, committed, stored, correct, naive, unseen, quiescence);
    }

    private static void readBalances(Connection c, String table, String runId, Map<String, Long> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT account_key, balance FROM " + table + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    into.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
    }

    private static List<Long> seqsInLog(StackInfo info, DeliveryMode mode, String runId, TopicReader.Isolation isolation) {
        List<Long> seqs = new ArrayList<>();
        for (var r : TopicReader.readAll(info.bootstrapServers(), mode.topic(), isolation, Duration.ofSeconds(60))) {
            if (r.value() != null && r.value().contains(runId)) {
                var t = TransferCodec.decode(r.value());
                if (t.runId().equals(runId)) {
                    seqs.add(t.seq());
                }
            }
        }
        return seqs;
    }

    /** Seqs with an "acked" event in the producer's ledger (all producer incarnations append to it). */
    static Set<Long> ackedSeqs(Path ledger, String runId) {
        Set<Long> seqs = new HashSet<>();
        if (!Files.exists(ledger)) {
            return seqs;
        }
        try (Stream<String> lines = Files.lines(ledger)) {
            lines.filter(l -> l.contains(runId) && l.contains("\"acked\"")).forEach(l -> {
                try {
                    JsonNode e = JSON.readTree(l);
                    if (runId.equals(e.path("runId").asText()) && "acked".equals(e.path("event").asText())) {
                        seqs.add(e.path("seq").asLong());
                    }
                } catch (IOException ignored) {
                    // a line torn by a SIGKILL mid-write: the event did not make it
                }
            });
        } catch (IOException e) {
            throw new LabException("cannot read the producer ledger " + ledger + ": " + e.getMessage());
        }
        return seqs;
    }
}
