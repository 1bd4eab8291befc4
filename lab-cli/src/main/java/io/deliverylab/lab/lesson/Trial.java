package io.deliverylab.lab.lesson;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.nemesis.FaultSchedule;
import java.util.List;

/**
 * The experiments the lesson runs, each once however many parts draw on it: a fault and the modes
 * that show something under it, the right ones next to the wrong ones.
 */
public enum Trial {
    FLOW("none", DeliveryMode.guarantees()),
    KILL_PRODUCER("kill-producer", DeliveryMode.guarantees()),
    KILL_CONSUMER("kill-consumer", List.of(DeliveryMode.AT_MOST_ONCE, DeliveryMode.AT_LEAST_ONCE, DeliveryMode.EXACTLY_ONCE,
            DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE)),
    /**
     * At a time, not after a share of acknowledgements: that trigger waits for the slowest mode, and
     * exactly-once's first transaction came late enough that the others had sent everything before the
     * stall (CI: no-retries had nothing in flight to lose, and myth 2 was not shown).
     */
    PAUSE_LEADER("pause-leader@2s:for=15s", List.of(DeliveryMode.AT_MOST_ONCE, DeliveryMode.NO_RETRIES, DeliveryMode.EXACTLY_ONCE)),
    PAUSE_PRODUCER("pause-producer:for=12s", List.of(DeliveryMode.EXACTLY_ONCE, DeliveryMode.UNSTABLE_TRANSACTIONAL_ID)),
    /** No fault: a fifth of every transactional mode's transactions aborted on purpose, and sent again. */
    ABORTS("none", List.of(DeliveryMode.EXACTLY_ONCE, DeliveryMode.SPLIT_TRANSACTION, DeliveryMode.READ_UNCOMMITTED), 0.2),
    /** A consumer paused past the share group's acquisition lock, and three poison messages in the share group's run. */
    QUEUE("pause-consumer:for=12s", List.of(DeliveryMode.AT_LEAST_ONCE, DeliveryMode.SHARE_GROUP), 0, 3),
    /** Not a fault: each guarantee alone, as fast as it goes, one after another. */
    COST(null, DeliveryMode.guarantees());

    private final String scenario;
    private final List<DeliveryMode> modes;
    private final double abortRatio;
    private final int poison;

    Trial(String scenario, List<DeliveryMode> modes) {
        this(scenario, modes, 0);
    }

    Trial(String scenario, List<DeliveryMode> modes, double abortRatio) {
        this(scenario, modes, abortRatio, 0);
    }

    Trial(String scenario, List<DeliveryMode> modes, double abortRatio, int poison) {
        this.scenario = scenario;
        this.modes = modes;
        this.abortRatio = abortRatio;
        this.poison = poison;
    }

    /** Poison messages in the share group's run (./lab run --poison). */
    public int poison() {
        return poison;
    }

    /** The share of the transactional modes' transactions the producer aborts on purpose (./lab run --abort-ratio). */
    public double abortRatio() {
        return abortRatio;
    }

    /** Whether the trial injects a fault (a nemesis schedule), rather than running undisturbed. */
    public boolean hasFault() {
        return scenario != null && !scenario.equals("none");
    }

    /** The fault scenario (as {@code ./lab run --faults} takes it), or null for the cost trial. */
    public String scenario() {
        return scenario;
    }

    public List<DeliveryMode> modes() {
        return modes;
    }

    /** The fault schedule for a run of {@code messages} per mode: unless the scenario names a time, once 30 % of them are acknowledged. */
    public FaultSchedule schedule(long messages) {
        return FaultSchedule.scenario(scenario == null ? "none" : scenario, messages, 1);
    }

    /** The fault's name in verdicts and reports: the scenario without its options, or the abort ratio. */
    public String faultName() {
        if (abortRatio > 0) {
            return "abort-ratio=" + abortRatio;
        }
        return scenario == null ? "none" : scenario.replaceFirst("[@:].*", "");
    }
}
