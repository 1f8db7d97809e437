package org.vettedaccess.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * Whether the rendered NetworkPolicies let one pod open a TCP connection to another on a port, as Kubernetes
 * decides it: the source must be allowed out (if any policy selecting it has Egress) and the destination in (if any
 * policy selecting it has Ingress). Pods outside the suite's namespace have no policies here: only their side of
 * the rule (egress from, or ingress to, the suite's pods) is checked.
 */
final class Reachability {

    /** A pod by its namespace and labels; {@code outside} for an address outside the cluster. */
    record Pod(String name, String namespace, Map<String, String> labels, boolean outside) {
        static Pod in(String namespace, String name, Map<String, String> labels) {
            return new Pod(name, namespace, labels, false);
        }
    }

    private final String namespace;
    private final List<NetworkPolicy> policies;

    Reachability(String namespace, List<HasMetadata> objects) {
        this.namespace = namespace;
        this.policies = objects.stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .toList();
    }

    boolean allows(Pod from, Pod to, int port) {
        return out(from, to, port) && in(from, to, port);
    }

    private boolean out(Pod from, Pod to, int port) {
        if (!from.namespace().equals(namespace)) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(from, "Egress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream()
                .flatMap(p -> p.getSpec().getEgress() == null
                        ? java.util.stream.Stream.empty()
                        : p.getSpec().getEgress().stream())
                .anyMatch(rule -> peers(rule.getTo(), to) && ports(rule.getPorts(), port));
    }

    private boolean in(Pod from, Pod to, int port) {
        if (!to.namespace().equals(namespace)) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(to, "Ingress");
        if (selecting.isEmpty()) {
            return true;
        }
        return selecting.stream()
                .flatMap(p -> p.getSpec().getIngress() == null
                        ? java.util.stream.Stream.empty()
                        : p.getSpec().getIngress().stream())
                .anyMatch(rule -> peers(rule.getFrom(), from) && ports(rule.getPorts(), port));
    }

    private List<NetworkPolicy> selecting(Pod pod, String type) {
        return policies.stream()
                .filter(p -> p.getSpec().getPolicyTypes().contains(type))
                .filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
                .toList();
    }

    /** An empty or missing list of peers allows every peer. */
    private boolean peers(List<NetworkPolicyPeer> peers, Pod pod) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                // An ipBlock here means addresses outside the cluster (pod addresses are not stable).
                if (pod.outside()) {
                    return true;
                }
                continue;
            }
            if (pod.outside()) {
                continue;
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? pod.namespace().equals(namespace)
                    : matches(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", pod.namespace()));
            boolean podMatches = peer.getPodSelector() == null || matches(peer.getPodSelector(), pod.labels());
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    private static boolean ports(List<NetworkPolicyPort> ports, int port) {
        return ports == null
                || ports.isEmpty()
                || ports.stream()
                        .anyMatch(p -> p.getPort() == null
                                || (p.getPort().getIntVal() != null
                                        && p.getPort().getIntVal() == port));
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (selector.getMatchExpressions() != null
                && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not modelled here: " + selector);
        }
        Map<String, String> required = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(required.entrySet());
    }
}
