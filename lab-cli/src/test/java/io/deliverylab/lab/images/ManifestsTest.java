package io.deliverylab.lab.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offline checks of k8s/: kubectl kustomize renders every overlay, and every rendered object
 * binds to fabric8's Kubernetes model with no unknown field, using only APIs Kubernetes 1.20 serves.
 */
class ManifestsTest {

    static final Path K8S = Path.of(System.getProperty("deliverylab.home", "..")).toAbsolutePath().normalize().resolve("k8s");
    static final Set<String> SERVED_BY_1_20 = Set.of("v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1",
            "networking.k8s.io/v1", "policy/v1beta1", "batch/v1beta1");

    static String kustomize(Path dir) throws Exception {
        Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return out;
    }

    static List<HasMetadata> objects(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.isBlank()) {
                KubernetesResource r = Serialization.unmarshal(doc, KubernetesResource.class);
                assertThat(r).as("a known Kubernetes kind:\n" + doc).isInstanceOf(HasMetadata.class);
                objects.add((HasMetadata) r);
            }
        }
        return objects;
    }

    /** Fields fabric8's model did not recognise end up in additionalProperties: collect their paths. */
    static List<String> unknownFields(Object o, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (o == null || seen.put(o, true) != null) {
            return unknown;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknown.addAll(unknownFields(e, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (o instanceof Map<?, ?> m) {
            for (var e : m.entrySet()) {
                unknown.addAll(unknownFields(e.getValue(), path + "." + e.getKey(), seen));
            }
            return unknown;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return unknown;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) value).keySet().forEach(k -> unknown.add(path + "." + k));
            } else {
                unknown.addAll(unknownFields(value, path + "." + m.getName().substring(3), seen));
            }
        }
        return unknown;
    }

    static List<String> problems(List<HasMetadata> objects) throws Exception {
        List<String> problems = new ArrayList<>();
        for (HasMetadata o : objects) {
            String id = o.getKind() + "/" + o.getMetadata().getName();
            if (!SERVED_BY_1_20.contains(o.getApiVersion())) {
                problems.add(id + ": apiVersion " + o.getApiVersion() + " is not served by Kubernetes 1.20");
            }
            if (o.getKind().equals("CronJob") && o.getApiVersion().equals("batch/v1")) {
                problems.add(id + ": CronJob batch/v1 needs Kubernetes 1.21");
            }
            unknownFields(o, id, new IdentityHashMap<>()).forEach(f -> problems.add("unknown field " + f));
        }
        return problems;
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/jvm", "overlays/native", "overlays/local", "overlays/local-chaos", "overlays/jvm-consumer-protocol", "base"})
    void everyOverlayRendersToValidObjects(String dir) throws Exception {
        List<HasMetadata> objects = objects(kustomize(K8S.resolve(dir)));
        assertThat(objects).extracting(HasMetadata::getKind).contains("Namespace", "StatefulSet", "Deployment", "Service",
                "ConfigMap", "ServiceAccount", "Role", "RoleBinding");
        assertThat(problems(objects)).isEmpty();
        String yaml = kustomize(K8S.resolve(dir));
        assertThat(yaml).as("no password in plain manifests").doesNotContainPattern("(?i)password: \\S");
    }

    /** A user's cluster pulls only official images and the ones ./lab images pushes. */
    @ParameterizedTest
    @ValueSource(strings = {"overlays/jvm", "overlays/native", "overlays/local", "overlays/jvm-operator"})
    void overlaysNameOnlyOfficialOrPushedImages(String dir) throws Exception {
        List<String> images = kustomize(K8S.resolve(dir)).lines().filter(l -> l.trim().startsWith("image:"))
                .map(l -> l.trim().substring("image:".length()).trim()).distinct().toList();
        assertThat(images).isNotEmpty().allMatch(i -> i.matches("(apache/kafka|postgres|prom/prometheus):[\\w.]+")
                || i.matches("deliverylab/(producer|consumer)-service:(jvm|native)"), "official or pushed by ./lab images");
        assertThat(images).anyMatch(i -> i.startsWith("apache/kafka:"));
    }

    /** The overlay ./lab images writes points every image at the registry, pinned by digest. */
    @Test
    void imagesOverlayPointsEveryImageAtTheRegistry(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        List<ImagePublisher.Published> pushed = List.of(
                new ImagePublisher.Published("deliverylab/producer-service", "reg.example:5000/deliverylab/producer-service", "jvm", digest),
                new ImagePublisher.Published("deliverylab/consumer-service", "reg.example:5000/deliverylab/consumer-service", "jvm", digest),
                new ImagePublisher.Published("apache/kafka", "reg.example:5000/deliverylab-kafka", "local", digest),
                new ImagePublisher.Published("postgres", "reg.example:5000/deliverylab-postgres", "local", null));
        Path overlay = Overlay.write(tmp.resolve("overlay"), K8S.resolve("overlays/local"), pushed).getParent();
        List<String> images = kustomize(overlay).lines().filter(l -> l.trim().startsWith("image:"))
                .map(l -> l.trim().substring("image:".length()).trim()).distinct().sorted().toList();
        assertThat(images).containsExactly("reg.example:5000/deliverylab-kafka@" + digest, "reg.example:5000/deliverylab-postgres:local",
                "reg.example:5000/deliverylab/consumer-service@" + digest, "reg.example:5000/deliverylab/producer-service@" + digest);
    }

    /**
     * The consumer-group-protocol component puts every consumer on KIP-848's protocol and gives the
     * brokers the timeouts the services ask for under the classic one; without it the consumers stay classic.
     */
    @Test
    void theConsumerProtocolComponentSwitchesTheConsumersAndSetsTheBrokersTimeouts() throws Exception {
        for (String dir : List.of("overlays/jvm", "overlays/jvm-consumer-protocol")) {
            List<HasMetadata> objects = objects(kustomize(K8S.resolve(dir)));
            var consumer = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment
                    && o.getMetadata().getName().equals("consumer")).map(o -> (io.fabric8.kubernetes.api.model.apps.Deployment) o)
                    .findFirst().orElseThrow();
            var env = consumer.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(java.util.stream.Collectors.toMap(io.fabric8.kubernetes.api.model.EnvVar::getName, io.fabric8.kubernetes.api.model.EnvVar::getValue));
            var brokers = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.ConfigMap
                    && o.getMetadata().getName().equals("kafka-config")).map(o -> ((io.fabric8.kubernetes.api.model.ConfigMap) o).getData())
                    .findFirst().orElseThrow();
            if (dir.endsWith("consumer-protocol")) {
                assertThat(env).containsEntry("DELIVERYLAB_CONSUMER_GROUP_PROTOCOL", "consumer");
                assertThat(brokers).containsEntry("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", "6000")
                        .containsEntry("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", "6000")
                        .containsEntry("KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", "2000");
            } else {
                assertThat(env).doesNotContainKey("DELIVERYLAB_CONSUMER_GROUP_PROTOCOL");
                assertThat(brokers).doesNotContainKey("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS");
            }
        }
    }

    @Test
    void unknownFieldsAndNewerApisAreFlagged() throws Exception {
        String bad = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  replicass: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - {name: c, image: x, imagePullPolicyy: Never}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: pdb}
                spec: {minAvailable: 1}
                """;
        assertThat(problems(objects(bad))).anyMatch(p -> p.endsWith("replicass"))
                .anyMatch(p -> p.endsWith("imagePullPolicyy"))
                .anyMatch(p -> p.contains("policy/v1 is not served"));
    }

    @Test
    void monitoringDashboardIsJson() throws Exception {
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(K8S.resolve("components/dashboard/deliverylab-dashboard.json")));
        assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
    }

    /**
     * The operator way: a PodMonitor that selects both services' pods on their metrics port, rules
     * promtool accepts, and the dashboard labelled for Grafana's sidecar. The operator's kinds bind to
     * fabric8's model of them; they are the only objects not served by Kubernetes itself.
     */
    @Test
    void prometheusOperatorOverlayMonitorsBothServicesWithRulesAndADashboard(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        List<HasMetadata> objects = objects(kustomize(K8S.resolve("overlays/jvm-operator")));
        assertThat(problems(objects)).allMatch(p -> p.contains("monitoring.coreos.com/v1 is not served"), "only the operator's own kinds are CRDs");
        var monitor = objects.stream().filter(o -> o instanceof io.fabric8.openshift.api.model.monitoring.v1.PodMonitor)
                .map(o -> (io.fabric8.openshift.api.model.monitoring.v1.PodMonitor) o).findFirst().orElseThrow();
        for (String app : List.of("producer", "consumer")) {
            var pods = objects.stream().filter(o -> o.getMetadata().getName().equals(app)
                    && (o.getKind().equals("StatefulSet") || o.getKind().equals("Deployment"))).findFirst().orElseThrow();
            var template = pods instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s ? s.getSpec().getTemplate()
                    : ((io.fabric8.kubernetes.api.model.apps.Deployment) pods).getSpec().getTemplate();
            assertThat(monitor.getSpec().getSelector().getMatchExpressions()).as("selects " + app)
                    .anyMatch(e -> template.getMetadata().getLabels().get(e.getKey()) != null
                            && e.getValues().contains(template.getMetadata().getLabels().get(e.getKey())));
            assertThat(template.getSpec().getContainers().get(0).getPorts()).as(app + " names the scraped port")
                    .anyMatch(p -> p.getName().equals(monitor.getSpec().getPodMetricsEndpoints().get(0).getPort()));
        }
        assertThat(monitor.getSpec().getPodMetricsEndpoints().get(0).getPath()).isEqualTo("/q/metrics");
        assertThat(objects).filteredOn(o -> o.getKind().equals("ConfigMap") && o.getMetadata().getName().startsWith("grafana-dashboard-deliverylab"))
                .singleElement().satisfies(c -> assertThat(c.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1"));

        var rule = objects.stream().filter(o -> o instanceof io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule)
                .map(o -> (io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule) o).findFirst().orElseThrow();
        assertThat(rule.getSpec().getGroups()).flatExtracting(g -> g.getRules()).extracting(r -> r.getAlert())
                .contains("DeliverylabExactlyOnceBroken", "DeliverylabConsumersStalled");
        Path rules = tmp.resolve("rules.yml");
        Files.writeString(rules, io.fabric8.kubernetes.client.utils.Serialization.asYaml(rule.getSpec()));
        Process p = new ProcessBuilder(io.deliverylab.lab.stack.PrometheusConfigTest.PROMTOOL.toString(), "check", "rules", rules.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool check rules:\n" + out).isZero();
    }
}
