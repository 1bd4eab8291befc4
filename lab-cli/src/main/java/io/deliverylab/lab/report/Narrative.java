package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.run.Experiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One line per verdict that says what happened, built from the fault events and the checker's counts. */
public final class Narrative {

    private Narrative() {
    }

    public static String of(Experiment.Outcome o, Verdict v) {
        List<String> parts = new ArrayList<>();
        parts.add(faults(o));
        if (v.losses().lostNeverReachedKafka() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d messages never reached Kafka", v.losses().lostNeverReachedKafka()));
        }
        if (v.losses().lostInKafkaNeverApplied() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d reached Kafka but were never applied (offsets committed before applying)",
                    v.losses().lostInKafkaNeverApplied()));
        }
        if (v.duplicates().duplicatesInLog() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d written to the log twice (a retry, or a re-sent or zombie batch)", v.duplicates().duplicatesInLog()));
        }
        if (v.duplicates().duplicateDeliveries() > 0) {
            parts.add(String.format(Locale.ROOT, "%,d messages applied twice%s", v.duplicates().duplicateDeliveries(),
                    v.duplicates().duplicatesInLog() == 0 ? " (applied, then read again: the offsets were not committed with the effects)" : ""));
        }
        if (v.duplicates().naiveBalanceError() != 0) {
            parts.add(String.format(Locale.ROOT, "naive balance off by %,d", v.duplicates().naiveBalanceError()));
        }
        if (v.losses().lost() == 0 && v.duplicates().duplicateDeliveries() == 0 && v.duplicates().duplicatesInLog() == 0) {
            parts.add("nothing lost, nothing duplicated");
        }
        Stalls.Stall stall = Stalls.longest(o, v.runId());
        if (stall.seconds() >= 2) {
            parts.add(String.format(Locale.ROOT, "a partition applied nothing for %.1f s from %.1f s", stall.seconds(), stall.from()));
        }
        if (v.timings().quiescenceMillis() >= 0) {
            parts.add(String.format(Locale.ROOT, "settled %.1f s after the last fault", v.timings().quiescenceMillis() / 1000.0));
        }
        if (v.losses().unseen()) {
            parts.add("did not settle in time");
        }
        return String.join("; ", parts);
    }

    /** "consumer-1 killed at 12.3 s", "kafka-2 paused at 4.0 s, healed at 12.0 s", or "no fault". */
    static String faults(Experiment.Outcome o) {
        List<String> said = new ArrayList<>();
        for (FaultEvent e : o.events()) {
            double at = (e.atMillis() - o.startedAt()) / 1000.0;
            if (e.action().equals(Nemesis.HEAL)) {
                said.add(String.format(Locale.ROOT, "healed at %.1f s", at));
            } else if (e.action().equals(Nemesis.FAILED)) {
                said.add("FAULT NOT INJECTED (" + e.victim() + ": " + e.reason() + ")");
            } else if (e.action().equals(Nemesis.SKIPPED)) {
                said.add(String.format(Locale.ROOT, "%s skipped at %.1f s (%s)", e.victim(), at, e.reason()));
            } else {
                said.add(String.format(Locale.ROOT, "%s %s at %.1f s", e.victim(), past(e.action()), at));
            }
        }
        return said.isEmpty() ? "no fault" : String.join(", ", said);
    }

    private static String past(String action) {
        return switch (action) {
            case "kill" -> "killed";
            case "pause" -> "paused";
            case "partition" -> "partitioned";
            default -> action;
        };
    }
}
