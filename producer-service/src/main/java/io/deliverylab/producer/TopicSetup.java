package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.config.TopicSettings;
import io.deliverylab.producer.ownership.InstanceClaims;
import jakarta.inject.Inject;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Creates the lab's topics if missing: one per mode, plus the compacted checkpoint and claim topics. */
@ApplicationScoped
public class TopicSetup {

    /** Kafka's own key (not a deliverylab one): where the topics are created. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    TopicSettings topics;

    public void ensure() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (DeliveryMode mode : DeliveryMode.values()) {
                missing.add(new NewTopic(mode.topic(), Optional.of(topics.partitions()), Optional.empty()));
            }
            Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            missing.add(new NewTopic(Topics.RUNS, Optional.of(1), Optional.empty()).configs(compacted));
            missing.add(new NewTopic(RunStore.EXACTLY_ONCE_PROGRESS, Optional.of(1), Optional.empty()).configs(compacted));
            missing.add(new NewTopic(InstanceClaims.TOPIC, Optional.of(1), Optional.empty()).configs(compacted));
            missing.add(new NewTopic(Topics.DEAD_LETTER, Optional.of(1), Optional.empty()));
            missing.removeIf(t -> existing.contains(t.name()));
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                return; // created concurrently by another instance
            }
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }
}
