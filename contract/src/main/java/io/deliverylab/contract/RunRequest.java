package io.deliverylab.contract;

/**
 * The body of {@code POST /runs}. Fields are kept raw (mode as text, counts as boxed numbers)
 * so that validation can say exactly which field is wrong instead of failing in JSON binding.
 * {@code abortRatio} (transactional modes only, at most {@link #MAX_ABORT_RATIO}): the share of the
 * run's transactions the producer aborts on purpose after writing them, then sends again.
 */
public record RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond, Double abortRatio) {

    /** Limits {@link #abortRatio}: a run whose every transaction may abort would never finish. */
    public static final double MAX_ABORT_RATIO = 0.5;

    /** A run that aborts no transaction on purpose. */
    public RunRequest(String mode, Long messages, Integer keys, Integer ratePerSecond) {
        this(mode, messages, keys, ratePerSecond, null);
    }
}
