package io.deliverylab.lab.images;

import static io.deliverylab.lab.images.ManifestsTest.K8S;
import static io.deliverylab.lab.images.ManifestsTest.kustomize;
import static io.deliverylab.lab.images.ManifestsTest.objects;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies, checked statically (the local cluster's bridge CNI does not enforce them): every
 * pod the manifests run is reached by exactly the peers and ports it needs, judged by NetworkPolicy's own
 * rules (a pod selected by an Ingress policy is isolated; a connection is allowed when one rule of one
 * selecting policy matches both its peer and its port).
 */
class NetworkPoliciesTest {

    static final String NAMESPACE = "deliverylab";

    /** Who must reach whom, on which port: everything else must be refused. */
    static final Map<String, Map<String, Set<Integer>>> NEEDED = Map.of(
            "kafka", Map.of("producer", Set.of(9092), "consumer", Set.of(9092), "chaos", Set.of(9092), "kafka", Set.of(9092, 9093)),
            "postgres", Map.of("consumer", Set.of(5432), "chaos", Set.of(5432)),
            "producer", Map.of("chaos", Set.of(8081), "prometheus", Set.of(8081), "prometheus@monitoring", Set.of(8081)),
            "consumer", Map.of("chaos", Set.of(8082), "prometheus", Set.of(8082), "prometheus@monitoring", Set.of(8082)),
            "prometheus", Map.of());

    /** A pod: the labels of its template, its namespace and its container ports. */
    record Pod(String name, String namespace, Map<String, String> labels, Set<Integer> ports) {
    }

    static List<Pod> pods(List<HasMetadata> objects) {
        List<Pod> pods = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodTemplateSpec t = o instanceof StatefulSet s ? s.getSpec().getTemplate()
                    : o instanceof Deployment d ? d.getSpec().getTemplate() : o instanceof Job j ? j.getSpec().getTemplate() : null;
            if (t != null) {
                Set<Integer> ports = new TreeSet<>();
                t.getSpec().getContainers().forEach(c -> c.getPorts().forEach(p -> ports.add(p.getContainerPort())));
                pods.add(new Pod(t.getMetadata().getLabels().get("app.kubernetes.io/name"), o.getMetadata().getNamespace(),
                        t.getMetadata().getLabels(), ports));
            }
        }
        return pods;
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).as("only matchLabels are judged here").isNullOrEmpty();
        return selector.getMatchLabels() == null || labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }

    static boolean peerMatches(NetworkPolicyPeer peer, String policyNamespace, Pod from) {
        assertThat(peer.getIpBlock()).as("no ipBlock peers").isNull();
        boolean namespace = peer.getNamespaceSelector() == null ? from.namespace().equals(policyNamespace)
                : selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", from.namespace()));
        boolean pod = peer.getPodSelector() == null || selects(peer.getPodSelector(), from.labels());
        return namespace && pod;
    }

    static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
        return ports == null || ports.isEmpty() || ports.stream().anyMatch(p -> p.getPort() == null || p.getPort().getIntVal() == port);
    }

    /** NetworkPolicy's semantics for ingress, for the rules these manifests use. */
    static boolean allowed(List<NetworkPolicy> policies, Pod from, Pod to, int port) {
        List<NetworkPolicy> selecting = policies.stream().filter(p -> p.getMetadata().getNamespace().equals(to.namespace())
                && p.getSpec().getPolicyTypes().contains("Ingress") && selects(p.getSpec().getPodSelector(), to.labels())).toList();
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream().anyMatch(p -> p.getSpec().getIngress() != null && p.getSpec().getIngress().stream()
                .anyMatch(rule -> portMatches(rule.getPorts(), port) && (rule.getFrom() == null || rule.getFrom().isEmpty()
                        || rule.getFrom().stream().anyMatch(peer -> peerMatches(peer, p.getMetadata().getNamespace(), from)))));
    }

    @Test
    void eachPodIsReachedByTheRightPeersOnTheRightPortsAndByNobodyElse() throws Exception {
        List<HasMetadata> objects = new ArrayList<>(objects(kustomize(K8S.resolve("overlays/jvm"))));
        objects.addAll(objects(kustomize(K8S.resolve("overlays/local-chaos"))).stream().filter(o -> o instanceof Job).toList());
        List<NetworkPolicy> policies = objects.stream().filter(o -> o instanceof NetworkPolicy).map(o -> (NetworkPolicy) o).toList();
        List<Pod> pods = pods(objects);
        assertThat(pods).extracting(Pod::name).containsExactlyInAnyOrder("kafka", "postgres", "producer", "consumer", "prometheus", "chaos");

        List<Pod> sources = new ArrayList<>(pods);
        sources.add(new Pod("prometheus@monitoring", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), Set.of()));
        sources.add(new Pod("stranger", NAMESPACE, Map.of("app.kubernetes.io/name", "stranger"), Set.of()));
        sources.add(new Pod("stranger@elsewhere", "elsewhere", Map.of("app", "anything"), Set.of()));
        List<String> wrong = new ArrayList<>();
        for (Pod to : pods) {
            for (int port : to.ports()) {
                for (Pod from : sources) {
                    boolean needed = NEEDED.getOrDefault(to.name(), Map.of()).getOrDefault(from.name(), Set.of()).contains(port);
                    if (allowed(policies, from, to, port) != needed) {
                        wrong.add(from.name() + " -> " + to.name() + ":" + port + (needed ? " is refused" : " is allowed"));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(NEEDED.keySet()).as("every pod with a port is judged").containsAll(
                pods.stream().filter(p -> !p.ports().isEmpty()).map(Pod::name).toList());
    }

    @Test
    void theProducerAndTheChaosJobReadTheTokenFromTheSameSecret() throws Exception {
        String rendered = kustomize(K8S.resolve("overlays/local-chaos"));
        List<Pod> pods = pods(objects(rendered));
        assertThat(pods).extracting(Pod::name).contains("producer", "chaos");
        for (HasMetadata o : objects(rendered)) {
            PodTemplateSpec t = o instanceof StatefulSet s && s.getMetadata().getName().equals("producer") ? s.getSpec().getTemplate()
                    : o instanceof Job j ? j.getSpec().getTemplate() : null;
            if (t != null) {
                assertThat(t.getSpec().getContainers().get(0).getEnv()).as(o.getMetadata().getName())
                        .anySatisfy(e -> {
                            assertThat(e.getName()).isEqualTo(io.deliverylab.contract.ApiToken.ENV);
                            assertThat(e.getValueFrom().getSecretKeyRef().getName())
                                    .isEqualTo(io.deliverylab.lab.stack.KubernetesStack.API_TOKEN_SECRET);
                            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                        });
            }
        }
    }
}
