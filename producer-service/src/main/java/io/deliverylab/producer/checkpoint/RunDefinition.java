package io.deliverylab.producer.checkpoint;

import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.DeliveryMode;

/**
 * A validated run: what to send, and which instance owns it (its instance id: only that instance
 * resumes it; null in checkpoints written before owners existed, resumed by any), and the share of its
 * transactions aborted on purpose (0: none), and how many of its messages are poison (0: none). Durable on the
 * runs topic, so a restarted producer can resume it.
 */
public record RunDefinition(String id, DeliveryMode mode, long messages, int keys, Integer ratePerSecond, long createdAt,
        String owner, double abortRatio, int poison) {

    /** Validates a request; the first problem found is reported with its field name. */
    public static RunDefinition from(String id, RunRequest request, long now, long maxMessages, String owner) {
        if (request == null) {
            throw new InvalidRunException("body", "a JSON body {mode, messages, keys, ratePerSecond?, abortRatio?, poison?} is required");
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
        double abortRatio = request.abortRatio() == null ? 0 : request.abortRatio();
        if (!(abortRatio >= 0 && abortRatio <= RunRequest.MAX_ABORT_RATIO)) {
            throw new InvalidRunException("abortRatio", "must be between 0 and " + RunRequest.MAX_ABORT_RATIO
                    + " (the share of the run's transactions aborted on purpose), was " + request.abortRatio());
        }
        if (abortRatio > 0 && !mode.transactional()) {
            throw new InvalidRunException("abortRatio", "only a transactional mode has transactions to abort; " + mode.wireName()
                    + " is not one (" + java.util.Arrays.stream(DeliveryMode.values()).filter(DeliveryMode::transactional)
                            .map(DeliveryMode::wireName).collect(java.util.stream.Collectors.joining(", ")) + " are)");
        }
        int poison = request.poison() == null ? 0 : request.poison();
        if (poison < 0 || poison > Math.min(RunRequest.MAX_POISON, request.messages())) {
            throw new InvalidRunException("poison", "must be between 0 and " + Math.min(RunRequest.MAX_POISON, request.messages())
                    + " (at most " + RunRequest.MAX_POISON + " and the run's messages), was " + request.poison());
        }
        if (poison > 0 && !mode.shareGroup()) {
            throw new InvalidRunException("poison", "only share-group gives up on a message it cannot apply (it archives it); "
                    + mode.wireName() + " would retry a poison message for ever");
        }
        return new RunDefinition(id, mode, request.messages(), request.keys(), request.ratePerSecond(), now, owner, abortRatio, poison);
    }
}
