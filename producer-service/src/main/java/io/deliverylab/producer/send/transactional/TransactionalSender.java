package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.DeliveryStrategy.Settlement;
import io.deliverylab.contract.Transfer;
import java.util.List;

/** One way to spread a run's transactions over the mode's producers: in turn, overlapped or in slices (docs/design/slices.md). */
interface TransactionalSender {

    /** Sends the batch and its checkpoint(s) in transactions; the settlement waits for their commits. */
    Settlement send(Run run, List<Transfer> batch, boolean last);

    /** How many sent batches may wait for their commits at once. */
    int window(int configured);
}
