package io.deliverylab.contract;

import java.util.Optional;

/**
 * The body of {@code POST /runs}. Fields are kept raw (mode as text, counts as boxed numbers)
 * so that validation can say exactly which field is wrong instead of failing in JSON binding.
 * {@code abortRatio} (transactional modes only, at most {@link #MAX_ABORT_RATIO}): the share of the
 * run's transactions the producer aborts on purpose after writing them, then sends again.
 * {@code poison} (share-group only, at most {@link #MAX_POISON}): how many of the run's messages are
 * poison, transfers the consumer's database refuses ({@link Workload#poisoned}).
 * {@code workload} ({@link Workload.Kind}, transfers when left out): what each message does.
 */
public record RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio, Integer poison,
        String workload) {

    /** Limits {@link #abortRatio}: a run whose every transaction may abort would never finish. */
    public static final double MAX_ABORT_RATIO = 0.5;

    /** Limits {@link #poison}: each poison message costs its consumers a delivery limit's worth of tries. */
    public static final int MAX_POISON = 100;

    /** A field of a run request outside the bounds every run keeps: its name in this request, and why. */
    public record OutOfRange(String field, String detail) {
    }

    /**
     * The bounds a run keeps whatever its mode, checked alike by the producer (400 naming the field) and
     * the lab's options (exit 2 naming the option): the first one broken, or none.
     */
    public static Optional<OutOfRange> outOfRange(long messages, int keys, double abortRatio, int poison, Workload.Kind workload) {
        if (keys < workload.minKeys()) {
            return Optional.of(new OutOfRange("keys", "must be at least " + workload.minKeys() + " for the " + workload.wireName()
                    + " workload (a transfer moves money between two accounts), was " + keys));
        }
        if (!(abortRatio >= 0 && abortRatio <= MAX_ABORT_RATIO)) {
            return Optional.of(new OutOfRange("abortRatio", "must be between 0 and " + MAX_ABORT_RATIO + ", was " + abortRatio));
        }
        long maxPoison = Math.min(MAX_POISON, messages);
        if (poison < 0 || poison > maxPoison) {
            return Optional.of(new OutOfRange("poison", "must be between 0 and " + maxPoison + ", was " + poison));
        }
        return Optional.empty();
    }

    /** A run that aborts no transaction on purpose. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond) {
        this(mode, messages, keys, ratePerSecond, null, null, null);
    }

    /** A run without poison messages. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio) {
        this(mode, messages, keys, ratePerSecond, abortRatio, null);
    }

    /** A run of the default workload. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio, Integer poison) {
        this(mode, messages, keys, ratePerSecond, abortRatio, poison, null);
    }
}
