package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vettedaccess.kubernetes.Reachability.Pod;

/**
 * Who may connect to whom, as the rendered NetworkPolicies decide it: each destination (PostgreSQL, Keycloak, Redis,
 * the configured upstream, each service) is reachable from exactly the pods that need it. And the gateway trusts
 * X-Forwarded-* headers from the edge only: the proxy settings are on for it alone, and only the edge's namespace
 * (the HTTPRoute's Gateway) may connect to it.
 */
class NetworkAndProxyTest {

    private static final Path ROOT =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("gateway", "kyc-service", "access-policy", "usage-ledger");

    /** The overlay's objects, the witness's (base/witness) among them. */
    private static List<HasMetadata> render(String overlay) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<Map<String, Object>> raws =
                Kubectl.kustomize(ROOT.resolve("kubernetes/overlays").resolve(overlay));
        for (Map<String, Object> raw : raws) {
            objects.add(SERIALIZATION.unmarshal(JSON.writeValueAsString(raw)));
        }
        return objects;
    }

    private static String namespace(String overlay) {
        return overlay.equals("prod") ? "vetted-access" : "vetted-access-dev";
    }

    /** The suite's own pods (Deployments, StatefulSets and Jobs, by their templates' labels) and the ones around it. */
    private static List<Pod> pods(String overlay, List<HasMetadata> objects) {
        String ns = namespace(overlay);
        List<Pod> pods = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Deployment d) {
                pods.add(Pod.in(
                        ns,
                        d.getMetadata().getName(),
                        d.getSpec().getTemplate().getMetadata().getLabels()));
            } else if (object instanceof StatefulSet st) {
                pods.add(Pod.in(
                        ns,
                        st.getMetadata().getName(),
                        st.getSpec().getTemplate().getMetadata().getLabels()));
            } else if (object instanceof Job j) {
                pods.add(Pod.in(
                        ns,
                        j.getMetadata().getName(),
                        j.getSpec().getTemplate().getMetadata().getLabels()));
            }
        }
        // What the operators run (labels as the Keycloak Operator and CloudNativePG set them), and the neighbours.
        pods.add(
                Pod.in(ns, "keycloak", Map.of("app", "keycloak", "app.kubernetes.io/managed-by", "keycloak-operator")));
        pods.add(Pod.in(ns, "vetted-db", Map.of("cnpg.io/cluster", "vetted-db", "cnpg.io/instanceRole", "primary")));
        pods.add(Pod.in("models", "model-server", Map.of("app.kubernetes.io/name", "model-server")));
        pods.add(Pod.in("gateway-system", "edge", Map.of()));
        pods.add(Pod.in("monitoring", "prometheus", Map.of("app.kubernetes.io/name", "prometheus")));
        pods.add(Pod.in("cnpg-system", "cnpg-operator", Map.of("app.kubernetes.io/name", "cloudnative-pg")));
        pods.add(Pod.in(ns, "stranger", Map.of("app.kubernetes.io/name", "something-else")));
        pods.add(new Pod("internet", "", Map.of(), true));
        return pods;
    }

    private static Pod pod(List<Pod> pods, String name) {
        return pods.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    private static Set<String> from(Reachability network, List<Pod> pods, Pod to, int port) {
        Set<String> allowed = new TreeSet<>();
        for (Pod pod : pods) {
            if (pod != to && network.allows(pod, to, port)) {
                allowed.add(pod.name());
            }
        }
        return allowed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachDestinationIsReachableFromExactlyThePodsThatNeedIt(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        List<Pod> pods = pods(overlay, objects);
        Reachability network = new Reachability(namespace(overlay), objects);
        Set<String> migrations = new TreeSet<>();
        SERVICES.forEach(s -> migrations.add(s + "-migrate"));

        Set<String> database = new TreeSet<>(SERVICES);
        database.addAll(migrations);
        database.add("keycloak");
        database.add("cnpg-operator");
        assertEquals(database, from(network, pods, pod(pods, "vetted-db"), 5432), "PostgreSQL");

        Set<String> keycloak = new TreeSet<>(SERVICES);
        keycloak.add("edge");
        assertEquals(keycloak, from(network, pods, pod(pods, "keycloak"), 8080), "Keycloak");
        assertEquals(Set.of("gateway"), from(network, pods, pod(pods, "redis"), 6379), "Redis");
        // Keycloak's back-channel logouts go to the portal's public address, through the edge (and the database pods'
        // rule for the Kubernetes API names ports, not addresses).
        assertEquals(
                Set.of("keycloak", "vetted-db"),
                reachers(network, pods, pod(pods, "edge"), 443),
                "the edge, from inside");
        assertEquals(Set.of("gateway"), reachers(network, pods, pod(pods, "model-server"), 8000), "the upstream");
        assertEquals(Set.of("edge"), from(network, pods, pod(pods, "gateway"), 8080), "the gateway");
        assertEquals(Set.of("access-policy", "gateway"), from(network, pods, pod(pods, "kyc-service"), 8080));
        assertEquals(Set.of("gateway", "kyc-service"), from(network, pods, pod(pods, "access-policy"), 8080));
        assertEquals(
                Set.of("access-policy", "gateway", "kyc-service"),
                from(network, pods, pod(pods, "usage-ledger"), 8080));
        for (String service : SERVICES) {
            assertEquals(Set.of("prometheus"), from(network, pods, pod(pods, service), 9000), service + " metrics");
        }
        // Outside the cluster: kyc-service's mail relay, and the database pods' calls to the Kubernetes API (whose
        // address differs per cluster, so only its ports are named); nothing else, the upstream included.
        Pod internet = pod(pods, "internet");
        assertEquals(Set.of("access-policy", "kyc-service"), reachers(network, pods, internet, 587), "SMTP submission");
        // The witness hears only the ledger's checkpoints and calls nobody (a witness only answers).
        Pod witness = pod(pods, "witness");
        assertEquals(Set.of("usage-ledger"), from(network, pods, witness, 8089), "the witness");
        for (Pod other : pods) {
            for (int port : new int[] {443, 587, 5432, 6379, 8000, 8080, 8089, 9000}) {
                assertFalse(
                        other != witness && network.allows(witness, other, port),
                        "the witness reaches " + other.name() + ":" + port);
            }
        }
        assertEquals(Set.of("vetted-db"), reachers(network, pods, internet, 443), "HTTPS out");
        assertEquals(Set.of("vetted-db"), reachers(network, pods, internet, 6443), "the Kubernetes API");
        assertEquals(Set.of(), reachers(network, pods, internet, 8000), "the upstream is in the cluster");
    }

    private static Set<String> reachers(Reachability network, List<Pod> pods, Pod to, int port) {
        Set<String> allowed = new TreeSet<>();
        for (Pod pod : pods) {
            if (!pod.outside()
                    && !Set.of("edge", "prometheus", "cnpg-operator", "model-server")
                            .contains(pod.name())
                    && network.allows(pod, to, port)) {
                allowed.add(pod.name());
            }
        }
        return allowed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGatewayReachesTheUpstreamItIsConfiguredWith(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        URI upstream = URI.create(config(objects, "gateway").get("UPSTREAM_SIM_URL"));
        // <service>.<namespace>.svc: the model server's pods in that namespace, on that port.
        String[] host = upstream.getHost().split("\\.");
        Pod modelServer = Pod.in(host[1], host[0], Map.of("app.kubernetes.io/name", host[0]));
        Reachability network = new Reachability(namespace(overlay), objects);
        Pod gateway = pods(overlay, objects).stream()
                .filter(p -> p.name().equals("gateway"))
                .findFirst()
                .orElseThrow();
        assertTrue(network.allows(gateway, modelServer, upstream.getPort()), "gateway -> " + upstream);
        assertFalse(network.allows(gateway, modelServer, upstream.getPort() + 1), "only the configured port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheGatewayTrustsForwardedHeadersAndOnlyFromTheEdge(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        Map<String, String> gateway = config(objects, "gateway");
        assertEquals("true", gateway.get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"));
        assertEquals("true", gateway.get("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED"));
        String trusted = gateway.getOrDefault("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "");
        assertFalse(trusted.isBlank() || trusted.contains("0.0.0.0/0"), "trusted proxies: " + trusted);
        for (String service : List.of("kyc-service", "access-policy", "usage-ledger")) {
            assertFalse(
                    config(objects, service).keySet().stream().anyMatch(k -> k.startsWith("QUARKUS_HTTP_PROXY_")),
                    service + " is not behind the edge and must not trust forwarded headers");
        }
        // The edge is the HTTPRoute's Gateway; its namespace is the only one that may open the gateway's port.
        JsonNode route = objects.stream()
                .filter(o -> o.getKind().equals("HTTPRoute")
                        && o.getMetadata().getName().equals("gateway"))
                .map(o -> (JsonNode) JSON.valueToTree(o))
                .findFirst()
                .orElseThrow();
        String edge =
                route.path("spec").path("parentRefs").get(0).path("namespace").asText();
        assertEquals("gateway-system", edge, "the edge these tests model");
        // And where nothing forwards (the local suite, a gateway reached directly), the headers are not trusted.
        String properties = Files.readString(ROOT.resolve("gateway/src/main/resources/application.properties"));
        assertTrue(properties.contains("\nquarkus.http.proxy.proxy-address-forwarding=false\n"), "off by default");
        assertTrue(properties.contains("\nquarkus.oidc.portal.authentication.cookie-path=/\n"), "__Host- needs Path=/");
    }

    private static Map<String, String> config(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().equals(name))
                .map(ConfigMap.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap/" + name))
                .getData();
    }
}
