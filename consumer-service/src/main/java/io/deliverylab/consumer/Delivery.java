package io.deliverylab.consumer;

import io.deliverylab.contract.Transfer;

/** A transfer as it arrived: where in the log it was read from. */
public record Delivery(Transfer transfer, String topic, int partition, long offset) {
}
