package io.deliverylab.consumer;

import java.io.Serializable;

/** Primary key of the balance tables. */
public record BalanceKey(String runId, String accountKey) implements Serializable {
    public BalanceKey() {
        this(null, null);
    }
}
