package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A way to force the interleavings that a rebalance makes rare: with
 * {@code deliverylab.consumer.hold-until-file} set, every consumer holds a received batch (before
 * it commits or applies anything) until that file exists. A test pauses this instance, lets another
 * member take the partitions, lets this one rejoin, and only then creates the file. Off unless set;
 * a hold never lasts longer than {@code deliverylab.consumer.hold-timeout}.
 */
@ApplicationScoped
public class HoldPoint {

    private static final Logger LOG = Logger.getLogger(HoldPoint.class);

    @ConfigProperty(name = "deliverylab.consumer.hold-until-file")
    Optional<Path> file;

    @ConfigProperty(name = "deliverylab.consumer.hold-timeout", defaultValue = "PT5M")
    Duration timeout;

    public void beforeCommit(DeliveryMode mode, int records) {
        if (file.isEmpty() || Files.exists(file.get())) {
            return;
        }
        LOG.infof("%s: holding a batch of %d records before commit until %s exists", mode.wireName(), records, file.get());
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(file.get()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.infof("%s: released the held batch of %d records", mode.wireName(), records);
    }
}
