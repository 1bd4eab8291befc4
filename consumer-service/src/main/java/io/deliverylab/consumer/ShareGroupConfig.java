package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks the brokers whether they serve share groups ({@code share.version} finalized at 1 or more: a
 * preview in Kafka 4.1, off unless an operator enables it) and, when they do, sets the share group's
 * {@code share.auto.offset.reset} through the Admin API before its consumer joins.
 */
@ApplicationScoped
public class ShareGroupConfig {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ConsumerSettings settings;

    /** The share group this service's share-group consumer joins. */
    String groupId() {
        return settings.shareGroup().groupId().orElse(DeliveryMode.SHARE_GROUP.consumerGroup());
    }

    /** False, and nothing set, when the brokers do not serve share groups. */
    boolean apply() {
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 5000,
                "default.api.timeout.ms", 10_000);
        String reset = settings.shareGroup().autoOffsetReset();
        List<AlterConfigOp> ops = List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", reset), AlterConfigOp.OpType.SET));
        try (Admin admin = Admin.create(config)) {
            var shareVersion = admin.describeFeatures().featureMetadata().get(15, TimeUnit.SECONDS).finalizedFeatures().get("share.version");
            if (shareVersion == null || shareVersion.maxVersionLevel() < 1) {
                return false;
            }
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, groupId()), ops)).all()
                    .get(15, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set share group " + groupId() + "'s share.auto.offset.reset=" + reset + ": "
                    + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the share group's configs", e);
        }
    }
}
