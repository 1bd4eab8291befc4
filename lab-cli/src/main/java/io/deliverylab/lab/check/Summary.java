package io.deliverylab.lab.check;

import io.deliverylab.contract.DeliveryMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Jepsen's summary, per mode: valid or not, and each kind of anomaly found over all its runs, with
 * whether the mode's promise allows it. A pitfall mode is held to the promise people believe it keeps.
 */
public record Summary(DeliveryMode mode, boolean valid, List<Finding> findings) {

    /** What a mode's promise says about a kind of anomaly. */
    public enum Allowed {
        ALLOWED("allowed"), NOT_ALLOWED("not allowed"), REPORTED("reported");

        private final String label;

        Allowed(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One kind of anomaly found in the mode's runs: how many, and whether the promise allows it. */
    public record Finding(String kind, long count, Allowed allowed) {
    }

    /** One summary per mode, in the order the modes first appear. */
    public static List<Summary> of(List<Verdict> verdicts) {
        Map<DeliveryMode, List<Verdict>> byMode = new LinkedHashMap<>();
        verdicts.forEach(v -> byMode.computeIfAbsent(v.mode(), m -> new ArrayList<>()).add(v));
        List<Summary> summaries = new ArrayList<>();
        byMode.forEach((mode, vs) -> {
            List<Finding> findings = new ArrayList<>();
            for (Kind k : KINDS) {
                long n = vs.stream().mapToLong(k.count()).sum();
                if (n > 0) {
                    findings.add(new Finding(k.name(), n, k.allowed(mode.judgedAs())));
                }
            }
            summaries.add(new Summary(mode, vs.stream().allMatch(Verdict::promiseKept), findings));
        });
        return summaries;
    }

    /** "valid; found: lost 3 (allowed), ..." or "valid; nothing found". */
    public String line() {
        String found = findings.isEmpty() ? "nothing found" : "found: " + String.join(", ",
                findings.stream().map(f -> f.kind() + " " + f.count() + " (" + f.allowed() + ")").toList());
        return (valid ? "valid" : "INVALID") + "; " + found;
    }

    /** A kind of anomaly: its name, how to count it in a verdict, and which guarantees allow it. */
    private record Kind(String name, ToLongFunction<Verdict> count, Allowed atMostOnce, Allowed atLeastOnce, Allowed exactlyOnce,
            Allowed shareGroup) {

        /** share-group promises what at-least-once does, unless said otherwise. */
        Kind(String name, ToLongFunction<Verdict> count, Allowed atMostOnce, Allowed atLeastOnce, Allowed exactlyOnce) {
            this(name, count, atMostOnce, atLeastOnce, exactlyOnce, atLeastOnce);
        }

        Allowed allowed(DeliveryMode guarantee) {
            return switch (guarantee) {
                case AT_MOST_ONCE -> atMostOnce;
                case AT_LEAST_ONCE -> atLeastOnce;
                case SHARE_GROUP -> shareGroup;
                default -> exactlyOnce;
            };
        }
    }

    private static final Allowed OK = Allowed.ALLOWED;
    private static final Allowed NO = Allowed.NOT_ALLOWED;
    private static final Allowed SEEN = Allowed.REPORTED;

    private static final List<Kind> KINDS = List.of(
            new Kind("lost, never acknowledged", v -> v.losses().lost() - v.losses().lostAcknowledged(), OK, OK, NO),
            new Kind("lost after acknowledgement", v -> v.losses().lostAcknowledged() - v.losses().archived(), OK, NO, NO),
            new Kind("archived", v -> v.losses().archived(), NO, NO, NO, OK),
            new Kind("duplicates in the log", v -> v.duplicates().duplicatesInLog(), SEEN, OK, NO),
            new Kind("duplicate effects", v -> v.duplicates().duplicateDeliveries(), NO, OK, NO),
            new Kind("unbalanced snapshots", v -> v.invariant().unbalanced(), NO, NO, NO, NO),
            new Kind("aborted reads", v -> v.anomalies().abortedReads(), SEEN, SEEN, NO),
            new Kind("reordered", v -> v.anomalies().outOfOrder(), SEEN, SEEN, SEEN),
            new Kind("inconsistent offsets", v -> v.anomalies().inconsistentOffsets(), SEEN, SEEN, SEEN),
            new Kind("nonmonotonic sends", v -> v.anomalies().nonmonotonicSends(), SEEN, SEEN, SEEN),
            new Kind("poll skips", v -> v.anomalies().pollSkips(), SEEN, SEEN, SEEN),
            new Kind("nonmonotonic polls", v -> v.anomalies().nonmonotonicPolls(), SEEN, SEEN, SEEN),
            new Kind("indeterminate sends", v -> v.counts().failedIndeterminate(), SEEN, SEEN, SEEN),
            new Kind("hanging transactions", v -> Math.max(0, v.anomalies().hangingTransactions()), SEEN, SEEN, SEEN));
}
