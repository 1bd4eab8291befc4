package io.deliverylab.lab.report;

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

/** Results as data: a stored run is judged again from observations.json, without a stack. */
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
                Map.of("consumer-2", 5L), 2, 0);
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

    @Test
    void aStoredRunIsRejudgedToTheSameVerdicts(@TempDir Path dir) throws Exception {
        Observation o = observation();
        Verdict v = Checker.check(o, "kill-consumer");
        assertThat(v.promiseKept()).isFalse(); // seq 49 acknowledged, never stored
        Experiment.Outcome outcome = new Experiment.Outcome("kill-consumer", "kill consumer after 10 acked", 1_000_000,
                List.of(v), List.of(new FaultEvent(1_001_000, "kill", "consumer-1")), List.of(), 3.0, List.of(o));
        Report.write(List.of(outcome), dir);
        assertThat(dir.resolve("observations.json")).exists();

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
}
