package io.deliverylab.producer.checkpoint;

import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;

/**
 * A validated run: what to send, and which instance owns it (its instance id: only that instance
 * resumes it; null in checkpoints written before owners existed, resumed by any), and the share of its
 * transactions aborted on purpose (0: none), how many of its messages are poison (0: none), and what its
 * messages do (null in checkpoints written before workloads existed: transfers). Durable on the
 * runs topic, so a restarted producer can resume it.
 */
public record RunDefinition(String id, DeliveryMode mode, long messages, int keys, Integer ratePerSecond, long createdAt,
        String owner, double abortRatio, int poison, Workload.Kind workload) {

    /** What the run's messages do. */
    public Workload.Kind workloadKind() {
        return workload == null ? Workload.Kind.TRANSFERS : workload;
    }

    /** Validates a request; the first problem found is reported with its field name. */
    public static RunDefinition from(String id, RunRequest request, long now, long maxMessages, String owner) {
        if (request == null) {
            throw new InvalidRunException("body", "a JSON body {mode, messages, keys, ratePerSecond?, abortRatio?, poison?, workload?} is required");
        }
        if (request.mode() == null) {
            throw new InvalidRunException("mode", "is required, one of " + DeliveryMode.names());
        }
        DeliveryMode mode;
        try {
            mode = DeliveryMode.fromWire(request.mode());
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException("mode", e.getMessage());
        }
        if (request.messages() == null || request.messages() <= 0) {
            throw new InvalidRunException("messages", "must be a number greater than 0, was " + request.messages());
        }
        if (request.messages() > maxMessages) {
            throw new InvalidRunException("messages", "must be at most " + maxMessages
                    + " (deliverylab.producer.max-messages), was " + request.messages());
        }
        if (request.keys() == null || request.keys() <= 0) {
            throw new InvalidRunException("keys", "must be a number greater than 0, was " + request.keys());
        }
        if (request.ratePerSecond() != null && request.ratePerSecond() <= 0) {
            throw new InvalidRunException("ratePerSecond", "must be greater than 0 or left out (as fast as possible), was "
                    + request.ratePerSecond());
        }
        Workload.Kind workload;
        try {
            workload = Workload.Kind.fromWire(request.workload());
        } catch (IllegalArgumentException e) {
            throw new InvalidRunException("workload", e.getMessage());
        }
        double abortRatio = request.abortRatio() == null ? 0 : request.abortRatio();
        int poison = request.poison() == null ? 0 : request.poison();
        RunRequest.outOfRange(request.messages(), request.keys(), abortRatio, poison, workload).ifPresent(bad -> {
            throw new InvalidRunException(bad.field(), bad.detail());
        });
        if (abortRatio > 0 && !mode.transactional()) {
            throw new InvalidRunException("abortRatio", "only a transactional mode has transactions to abort; " + mode.wireName()
                    + " is not one (" + java.util.Arrays.stream(DeliveryMode.values()).filter(DeliveryMode::transactional)
                            .map(DeliveryMode::wireName).collect(java.util.stream.Collectors.joining(", ")) + " are)");
        }
        if (poison > 0 && !mode.shareGroup()) {
            throw new InvalidRunException("poison", "only share-group gives up on a message it cannot apply (it archives it); "
                    + mode.wireName() + " would dead-letter a poison message, a loss its promise does not allow");
        }
        return new RunDefinition(id, mode, request.messages(), request.keys(), request.ratePerSecond(), now, owner, abortRatio, poison,
                workload);
    }
}
