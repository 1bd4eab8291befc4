package io.deliverylab.lab.stack;

import io.deliverylab.contract.ApiToken;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.nemesis.VictimUnavailable;
import io.deliverylab.stack.LabTopics;
import io.deliverylab.stack.Leaders;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The stack of k8s/ on a Kubernetes cluster (kubeconfig from the usual places, or in-cluster):
 * faults are pod deletions through the API with grace period 0, and the controllers replace the
 * pods. Addresses come from the Services, or from environment variables inside the cluster.
 */
public final class KubernetesStack implements Stack, AutoCloseable {

    private final KubernetesClient client;
    private final String namespace;
    private final StackInfo info;

    public KubernetesStack(String namespace) {
        this.client = new KubernetesClientBuilder().build();
        this.namespace = namespace;
        try {
            String bootstrap = env("KAFKA_BOOTSTRAP_SERVERS").orElseGet(() -> List.of("kafka-0", "kafka-1", "kafka-2").stream()
                    .map(s -> address(s) + ":9092").collect(Collectors.joining(",")));
            String jdbc = env("QUARKUS_DATASOURCE_JDBC_URL")
                    .orElseGet(() -> "jdbc:postgresql://" + address("postgres") + ":5432/deliverylab");
            String password = env("QUARKUS_DATASOURCE_PASSWORD").orElseGet(this::secretPassword);
            this.info = new StackInfo("k8s:" + namespace, -1, 0, -1, bootstrap, jdbc, "deliverylab", password,
                    env("DELIVERYLAB_PRODUCER_URL").orElseGet(() -> "http://" + address("producer") + ":8081"),
                    List.of(env("DELIVERYLAB_CONSUMER_URL").orElseGet(() -> "http://" + address("consumer") + ":8082")),
                    null, null, env(ApiToken.ENV).orElseGet(this::secretApiToken), null, null);
        } catch (KubernetesClientException e) {
            throw new LabException("cannot read the deliverylab stack from Kubernetes namespace " + namespace + ": " + e.getMessage());
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    private String address(String service) {
        Service s = client.services().inNamespace(namespace).withName(service).get();
        if (s == null) {
            throw new LabException("no Service " + service + " in namespace " + namespace + " (kubectl apply -k k8s/overlays/...)");
        }
        return s.getSpec().getClusterIP();
    }

    private String secretPassword() {
        return secretValue("postgres-credentials", "password").orElseThrow(() ->
                new LabException("no Secret postgres-credentials in " + namespace + "; or set QUARKUS_DATASOURCE_PASSWORD"));
    }

    /** The producer's API token from the Secret the producer reads it from; null when there is none (an open API). */
    private String secretApiToken() {
        return secretValue(API_TOKEN_SECRET, "token").orElse(null);
    }

    /** One key of a Secret in the namespace, decoded; empty when the Secret or the key is missing. */
    private Optional<String> secretValue(String name, String key) {
        var secret = client.secrets().inNamespace(namespace).withName(name).get();
        return secret == null || secret.getData() == null || !secret.getData().containsKey(key) ? Optional.empty()
                : Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(key))));
    }

    /** The Secret that holds the producer's API token (key: token), created outside the manifests like postgres-credentials. */
    public static final String API_TOKEN_SECRET = "deliverylab-api-token";

    @Override
    public StackInfo info() {
        return info;
    }

    /** A pod's ordinal is its node id: kafka-0 is the target kafka-1, as the nemesis counts from 1. */
    @Override
    public Target broker(int nodeId) {
        return new Target(Target.Kind.KAFKA, nodeId + 1);
    }

    @Override
    public String kill(Target target) {
        return switch (target.kind()) {
            case PRODUCER -> deleteByLabel("producer", 0);
            case CONSUMER -> deleteByLabel("consumer", target.number());
            case POSTGRES -> deleteByLabel("postgres", 0);
            case KAFKA -> deletePod("kafka-" + (target.number() - 1));
            case BROKERS -> String.join("+", java.util.stream.IntStream.range(0, target.number())
                    .mapToObj(i -> deletePod("kafka-" + i)).toList());
            default -> deletePod("kafka-" + broker(target));
        };
    }

    /** Deletes the pods of an app; with {@code number} > 0 only the number-th by name (consumer-2: the second replica). */
    private String deleteByLabel(String name, int number) {
        var pods = client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", name).list().getItems().stream()
                .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
        if (pods.isEmpty()) {
            throw new VictimUnavailable("no " + name + " pod in " + namespace + " (one being replaced after an earlier fault?)");
        }
        if (number > pods.size()) {
            throw new LabException("there is no " + name + "-" + number + ": " + pods.size() + " " + name + " pod(s) in " + namespace);
        }
        var victims = number > 0 ? List.of(pods.get(number - 1)) : name.equals("consumer") ? List.of(pods.get(0)) : pods;
        victims.forEach(p -> deletePod(p.getMetadata().getName()));
        return victims.stream().map(p -> p.getMetadata().getName()).collect(Collectors.joining(","));
    }

    private String deletePod(String pod) {
        client.pods().inNamespace(namespace).withName(pod).withGracePeriod(0).delete();
        return pod;
    }

    /** Node id of the broker leading most partitions of the mode topics, or of the active controller. */
    private int broker(Target target) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, info.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            if (target.kind() == Target.Kind.CONTROLLER) {
                return admin.describeMetadataQuorum().quorumInfo().get(15, TimeUnit.SECONDS).leaderId();
            }
            return Leaders.busiest(Leaders.count(admin, LabTopics.perMode()))
                    .orElseThrow(() -> new LabException("no partition leader found"));
        } catch (LabException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException("cannot ask Kafka for the leader: " + e.getMessage());
        }
    }

    @Override
    public String pause(Target target) {
        throw new LabException("pause needs a process to SIGSTOP; on Kubernetes use kill (pod deletion), or the local target");
    }

    /** add-consumer: the consumer Deployment one replica larger; the victim names the count the heal scales back to. */
    @Override
    public String add(Target target) {
        var deployment = client.apps().deployments().inNamespace(namespace).withName("consumer");
        var current = deployment.get();
        if (current == null) {
            throw new LabException("no consumer Deployment in " + namespace + " to scale");
        }
        int replicas = current.getSpec().getReplicas() == null ? 1 : current.getSpec().getReplicas();
        deployment.scale(replicas + 1);
        return SCALED_FROM + replicas;
    }

    /** What {@link #add} returns: the consumer Deployment scaled up from this many replicas. */
    static final String SCALED_FROM = "consumer-scaled-from-";

    @Override
    public void heal(String victim) {
        if (victim.startsWith(SCALED_FROM)) {
            // Scaled back: the Deployment stops the extra pod gracefully, so its member leaves its groups.
            client.apps().deployments().inNamespace(namespace).withName("consumer")
                    .scale(Integer.parseInt(victim.substring(SCALED_FROM.length())));
        }
        // A deleted pod needs nothing: its StatefulSet or Deployment replaces it by itself.
    }

    @Override
    public void close() {
        client.close();
    }
}
