package io.deliverylab.producer.checkpoint;

import io.deliverylab.contract.RunState;

/**
 * A run's durable checkpoint: every message below {@code nextSeq} is settled in the way the mode
 * promises (handed to the network for at-most-once, acknowledged for at-least-once, committed in
 * the same transaction for exactly-once). Stored with the definition, keyed by run id.
 */
public record RunProgress(RunDefinition definition, long nextSeq, long sent, long acknowledged, long failed,
        RunState state, int resumes) {

    public static RunProgress start(RunDefinition definition) {
        return new RunProgress(definition, 0, 0, 0, 0, RunState.RUNNING, 0);
    }

    /**
     * The later of two checkpoints of one run: a cancellation is final (it may be stored before
     * the last batch's checkpoint lands, on another topic for exactly-once); otherwise further
     * along wins, and a finished state wins a tie.
     */
    public static RunProgress later(RunProgress a, RunProgress b) {
        if ((a.state == RunState.CANCELLED) != (b.state == RunState.CANCELLED)) {
            RunProgress cancelled = a.state == RunState.CANCELLED ? a : b;
            RunProgress other = cancelled == a ? b : a;
            return other.nextSeq > cancelled.nextSeq
                    ? new RunProgress(other.definition, other.nextSeq, other.sent, other.acknowledged, other.failed,
                            RunState.CANCELLED, other.resumes)
                    : cancelled;
        }
        if (a.nextSeq != b.nextSeq) {
            return a.nextSeq > b.nextSeq ? a : b;
        }
        return b.state.finished() ? b : a;
    }
}
