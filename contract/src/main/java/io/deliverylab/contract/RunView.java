package io.deliverylab.contract;

/**
 * A run as {@code GET /runs/{id}} shows it: what was asked ({@link RunRequest}), how far the producer
 * got (sent, acknowledged by the brokers, failed; the next seq it will send) and who runs it.
 */
public record RunView(String id, String mode, long messages, int keys, Integer ratePerSecond, RunState state,
        long sent, long acknowledged, long failed, long nextSeq, int resumes, long createdAt, String owner,
        boolean cancelRequested, String error, double abortRatio, int poison, String workload) {
}
