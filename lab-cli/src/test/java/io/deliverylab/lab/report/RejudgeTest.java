package io.deliverylab.lab.report;

import io.deliverylab.lab.check.ApplyTimes;
import io.deliverylab.lab.check.Checker;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.cli.Lab;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.run.Experiment;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results as data: a stored run is judged again from its history (observations.json.gz), without a stack. */
class RejudgeTest {

    /** An at-least-once run of 50 where seqs 10..14 were delivered twice and seq 49 was acknowledged but never stored. */
    static Observation observation() {
        String run = "run-rejudge";
        List<Long> log = new ArrayList<>();
        Map<Long, Observation.Stored> stored = new HashMap<>();
        Map<String, Long> correct = new HashMap<>();
        Map<String, Long> naive = new HashMap<>();
        for (long seq = 0; seq < 50; seq++) {
            log.add(seq);
            if (seq == 49) {
                continue;
            }
            int deliveries = seq >= 10 && seq < 15 ? 2 : 1;
            String key = Workload.keyFor(seq, 4);
            long amount = Workload.amountFor(run, seq);
            stored.put(seq, new Observation.Stored(seq, key, amount, deliveries, seq));
            correct.merge(key, amount, Long::sum);
            naive.merge(key, amount * deliveries, Long::sum);
        }
        Set<Long> acked = new HashSet<>(log);
        return new Observation(run, DeliveryMode.AT_LEAST_ONCE, 50, 4, acked, log, log, stored, correct, naive, false, 1500,
                Map.of("consumer-2", 5L), 2, 0, null, null, null, null, null);
    }

    static String check(Path dir, int expectedExit) {
        var cli = Lab.commandLine();
        java.io.PrintStream old = Lab.OUT;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Lab.OUT = new java.io.PrintStream(bytes, true);
        int code;
        try {
            code = cli.execute("check", "--results", dir.toString());
        } finally {
            Lab.OUT = old;
        }
        assertThat(code).as(bytes.toString()).isEqualTo(expectedExit);
        return bytes.toString();
    }

    /**
     * An exactly-once run of 20 with its whole history: every send acknowledged at partition seq % 2,
     * committed, applied once, 20 ms after it was due; one due every 100 ms from 1,000,000.
     */
    static Observation exactlyOnceHistory() {
        String run = "run-history";
        List<Long> log = new ArrayList<>();
        Map<Long, Observation.Stored> stored = new HashMap<>();
        Map<String, Long> correct = new HashMap<>();
        List<Observation.Send> sends = new ArrayList<>();
        List<Observation.Rec> records = new ArrayList<>();
        for (long seq = 0; seq < 20; seq++) {
            int p = (int) (seq % 2);
            log.add(seq);
            String key = Workload.keyFor(seq, 4);
            long amount = Workload.amountFor(run, seq);
            stored.put(seq, new Observation.Stored(seq, key, amount, 1, seq, p, seq / 2, 1_000_000 + seq * 100, 1_000_000 + seq * 100 + 20));
            correct.merge(key, amount, Long::sum);
            sends.add(new Observation.Send(seq, "s1", p, seq / 2));
            records.add(new Observation.Rec(p, seq / 2, seq));
        }
        return new Observation(run, DeliveryMode.EXACTLY_ONCE, 20, 4, new HashSet<>(log), log, log, stored, correct, correct, false, -1,
                Map.of(), 0, 0, sends, List.of(), records, records, List.of());
    }

    /** The history is the evidence: the same files give the same verdict, and a history edited by hand gives another. */
    @Test
    void aHandEditedHistoryChangesTheVerdict(@TempDir Path dir) throws Exception {
        Observation o = exactlyOnceHistory();
        Verdict v = Checker.check(o, "none");
        assertThat(v.promiseKept()).isTrue();
        Report.write(List.of(new Experiment.Outcome("none", "no faults", 1_000_000, List.of(v), List.of(), List.of(), 1.0, List.of(o))), dir);
        assertThat(check(dir, 0)).contains("the same verdicts as stored");

        // Seq 3's record (partition 1, offset 1) taken out of what read_committed saw: its transaction did not commit,
        // yet exactly-once applied it. The stored verdict no longer follows from the history.
        Path file = dir.resolve(Report.HISTORY);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode tree;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            tree = json.readTree(in);
        }
        var committed = (com.fasterxml.jackson.databind.node.ArrayNode) tree.findValue("committedRecords");
        for (int i = 0; i < committed.size(); i++) {
            if (committed.get(i).get(2).asLong() == 3) {
                committed.remove(i);
                break;
            }
        }
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            json.writeValue(out, tree);
        }
        String differs = check(dir, 1);
        assertThat(differs).contains("1 of 1 verdict(s) differ").contains("aborted reads 1");
    }

    @Test
    void aStoredRunIsRejudgedToTheSameVerdicts(@TempDir Path dir) throws Exception {
        Observation o = observation();
        Verdict v = Checker.check(o, "kill-consumer");
        assertThat(v.promiseKept()).isFalse(); // seq 49 acknowledged, never stored
        Experiment.Outcome outcome = new Experiment.Outcome("kill-consumer", "kill consumer after 10 acked", 1_000_000,
                List.of(v), List.of(new FaultEvent(1_001_000, "kill", "consumer-1")), List.of(), 3.0, List.of(o));
        Report.write(List.of(outcome), dir);
        assertThat(dir.resolve(Report.HISTORY)).exists();

        String same = check(dir, 1); // the run broke its promise: exit 1, but the verdicts are the same
        assertThat(same).contains("the same verdicts as stored").contains("NO");

        // A verdict edited by hand (or by an older checker) is found out.
        Path results = dir.resolve("results.json");
        String edited = Files.readString(results).replaceFirst("\"lostAcknowledged\"\\s*:\\s*1", "\"lostAcknowledged\" : 0");
        assertThat(edited).isNotEqualTo(Files.readString(results));
        Files.writeString(results, edited);
        String differs = check(dir, 1);
        assertThat(differs).contains("1 of 1 verdict(s) differ").contains("differs: at-least-once / kill-consumer");
    }

    /** The bank's snapshots are history too: the invariant's chart is drawn from it, and a snapshot edited by hand breaks the verdict. */
    @Test
    void aBankRunsSnapshotsAreJudgedFromTheHistory(@TempDir Path dir) throws Exception {
        Observation deposits = exactlyOnceHistory();
        Map<String, Long> balances = new HashMap<>();
        for (Observation.Stored s : deposits.stored().values()) {
            balances.merge(s.key(), s.amount(), Long::sum);
            balances.merge(Workload.debitedFor(deposits.runId(), s.seq(), deposits.keys()), -s.amount(), Long::sum);
        }
        Observation o = new Observation(deposits.runId(), deposits.mode(), deposits.intended(), deposits.keys(), deposits.acknowledged(),
                deposits.logUncommitted(), deposits.logCommitted(), deposits.stored(), balances, balances, false, -1, Map.of(), 0, 0,
                deposits.sends(), List.of(), deposits.logRecords(), deposits.committedRecords(), List.of(), List.of(),
                Workload.Kind.BANK, List.of(new Observation.Total(0.2, 0, 0), new Observation.Total(0.4, 0, 0)));
        Verdict v = Checker.check(o, "none");
        assertThat(v.promiseKept()).as(v.explanation()).isTrue();
        Report.write(List.of(new Experiment.Outcome("none", "no faults", 1_000_000, List.of(v), List.of(), List.of(), 1.0, List.of(o),
                Map.of(), Map.of(), Map.of(o.runId(), o.totals()))), dir);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("id=\"exp0-bank\"").contains("exactly-once sum");
        assertThat(check(dir, 0)).contains("the same verdicts as stored").contains("bank / none: each of the 2 snapshots of the balances summed to 0; naive drift at the end: exactly-once 0");

        // The second snapshot edited to a sum of 5: a transfer applied by halves, as far as the history says.
        Path file = dir.resolve(Report.HISTORY);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode tree;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            tree = json.readTree(in);
        }
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.findValue("totals").get(1)).set(1, 5);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            json.writeValue(out, tree);
        }
        assertThat(check(dir, 1)).contains("1 of 1 verdict(s) differ").contains("did not sum to 0 in 1 of 2 snapshots (furthest: 5)");
    }

    /** The latency and stall columns are recomputed from the history's apply times, as the verdicts are. */
    @Test
    void theLatencyAndStallAreReadFromTheHistoryToo(@TempDir Path dir) throws Exception {
        Observation o = exactlyOnceHistory();
        Experiment.Outcome outcome = Experiment.Outcome.of("none", "no faults", 1_000_000, List.of(Checker.check(o, "none")), List.of(),
                List.of(), 3.0, List.of(o));
        assertThat(outcome.gaps().get(o.runId()).seconds()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(outcome.latency().get(o.runId())).extracting(ApplyTimes.LatencySecond::p99Millis).containsOnly(20.0);
        Report.write(List.of(outcome), dir);
        assertThat(Report.rejudge(dir).get(0).gaps()).isEqualTo(outcome.gaps());

        // Seq 18, partition 0's last message, applied 5 s later than it was: a 5.2 s stall, a 5,020 ms latency.
        Path file = dir.resolve(Report.HISTORY);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode tree;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(file))) {
            tree = json.readTree(in);
        }
        var seq18 = (com.fasterxml.jackson.databind.node.ObjectNode) tree.findValue("stored").get("18");
        seq18.put("appliedAt", seq18.get("appliedAt").asDouble() + 5_000);
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            json.writeValue(out, tree);
        }
        Experiment.Outcome again = Report.rejudge(dir).get(0);
        assertThat(again.gaps().get(o.runId())).isEqualTo(new ApplyTimes.PartitionGap(0, 1.62, 5.2));
        assertThat(Stalls.longest(again, o.runId()).seconds()).isCloseTo(5.2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(again.latency().get(o.runId())).extracting(ApplyTimes.LatencySecond::p99Millis).contains(5_020.0);
    }
}
