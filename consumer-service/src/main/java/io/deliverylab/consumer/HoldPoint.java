package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.HoldFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A way to force the interleavings that a rebalance makes rare: with
 * {@code deliverylab.consumer.hold-until-file} set, every consumer holds a received batch (before
 * it commits or applies anything) until that file exists. A test pauses this instance, lets another
 * member take the partitions, lets this one rejoin, and only then creates the file. Off unless set;
 * a hold never lasts longer than {@code deliverylab.consumer.hold-timeout}. With
 * {@code deliverylab.consumer.hold-committed-until-file} set, at-most-once holds a batch it has
 * committed but not yet applied instead, right after the commit. With
 * {@code deliverylab.consumer.hold-in-transaction-until-file} set, every mode holds a batch inside
 * its database transaction, after the write's statement and before its commit, with the rows it
 * wrote locked.
 */
@ApplicationScoped
public class HoldPoint {

    private static final Logger LOG = Logger.getLogger(HoldPoint.class);

    @Inject
    ConsumerSettings settings;

    public void beforeCommit(DeliveryMode mode, int records) {
        hold(settings.holdUntilFile(), mode, records, "before commit");
    }

    public void afterCommit(DeliveryMode mode, int records) {
        hold(settings.holdCommittedUntilFile(), mode, records, "committed but not applied");
    }

    public void inTransaction(DeliveryMode mode, int records) {
        hold(settings.holdInTransactionUntilFile(), mode, records, "inside its database transaction");
    }

    private void hold(Optional<Path> file, DeliveryMode mode, int records, String where) {
        if (file.isEmpty() || Files.exists(file.get())) {
            return;
        }
        LOG.infof("%s: holding a batch of %d records %s until %s exists", mode.wireName(), records, where, file.get());
        HoldFile.await(file.get(), settings.holdTimeout());
        LOG.infof("%s: released the held batch of %d records", mode.wireName(), records);
    }
}
