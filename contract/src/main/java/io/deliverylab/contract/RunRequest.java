package io.deliverylab.contract;

/**
 * The body of {@code POST /runs}. Fields are kept raw (mode as text, counts as boxed numbers)
 * so that validation can say exactly which field is wrong instead of failing in JSON binding.
 * {@code abortRatio} (transactional modes only, at most {@link #MAX_ABORT_RATIO}): the share of the
 * run's transactions the producer aborts on purpose after writing them, then sends again.
 * {@code poison} (share-group only, at most {@link #MAX_POISON}): how many of the run's messages are
 * poison, transfers the consumer's database refuses ({@link Workload#poisoned}).
 */
public record RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio, Integer poison) {

    /** Limits {@link #abortRatio}: a run whose every transaction may abort would never finish. */
    public static final double MAX_ABORT_RATIO = 0.5;

    /** Limits {@link #poison}: each poison message costs its consumers a delivery limit's worth of tries. */
    public static final int MAX_POISON = 100;

    /** A run that aborts no transaction on purpose. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond) {
        this(mode, messages, keys, ratePerSecond, null, null);
    }

    /** A run without poison messages. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio) {
        this(mode, messages, keys, ratePerSecond, abortRatio, null);
    }
}
