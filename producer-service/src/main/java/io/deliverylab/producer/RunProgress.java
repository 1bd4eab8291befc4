package io.deliverylab.producer;

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

    /** The later of two checkpoints of one run: further along wins, a finished state wins a tie. */
    public static RunProgress later(RunProgress a, RunProgress b) {
        if (a.nextSeq != b.nextSeq) {
            return a.nextSeq > b.nextSeq ? a : b;
        }
        return b.state.finished() ? b : a;
    }
}
