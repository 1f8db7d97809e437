package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay with kustomize semantics, parses every object into fabric8's typed Kubernetes models,
 * and fails on what would make the deployment unsafe or drift from the code.
 */
class ManifestsTest {

    private static final Path ROOT =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final Path KUBERNETES = ROOT.resolve("kubernetes");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("gateway", "kyc-service", "access-policy", "usage-ledger");

    private static List<HasMetadata> render(String overlay) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> raw :
                Kustomize.render(KUBERNETES.resolve("overlays").resolve(overlay))) {
            objects.add(SERIALIZATION.unmarshal(JSON.writeValueAsString(raw)));
        }
        return objects;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectIsAKnownKindWithOnlyKnownFields(String overlay) throws IOException {
        List<String> problems = new ArrayList<>();
        for (HasMetadata object : render(overlay)) {
            String id = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource generic) {
                // Operator resources: fabric8 has no model; their operators validate them against their CRDs.
                if (!Set.of("postgresql.cnpg.io/v1", "k8s.keycloak.org/v2alpha1")
                        .contains(generic.getApiVersion())) {
                    problems.add(id + " is of an unknown kind " + generic.getApiVersion());
                }
                continue;
            }
            unknownFields(object, id, problems, new HashSet<>());
            assertEquals(
                    overlay.equals("prod") ? "vetted-access" : "vetted-access-dev",
                    object.getMetadata().getNamespace(),
                    id);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyWorkloadIsHardenedProbedAndLimited(String overlay) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Deployment> deployments = render(overlay).stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .toList();
        assertEquals(5, deployments.size(), "the four services and Redis");
        for (Deployment deployment : deployments) {
            String id = "Deployment/" + deployment.getMetadata().getName();
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            if (pod.getSecurityContext() == null
                    || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
                problems.add(id + ": the pod must run as non-root");
            }
            if (pod.getSecurityContext() == null
                    || pod.getSecurityContext().getSeccompProfile() == null
                    || !"RuntimeDefault"
                            .equals(pod.getSecurityContext().getSeccompProfile().getType())) {
                problems.add(id + ": seccomp must be RuntimeDefault");
            }
            if (pod.getTopologySpreadConstraints() == null
                    || pod.getTopologySpreadConstraints().isEmpty()) {
                problems.add(id + ": no topologySpreadConstraints");
            }
            for (Container container : pod.getContainers()) {
                String at = id + " container " + container.getName();
                if (container.getReadinessProbe() == null
                        || container.getLivenessProbe() == null
                        || container.getStartupProbe() == null) {
                    problems.add(at + ": needs readiness, liveness and startup probes");
                }
                if (container.getResources() == null
                        || container.getResources().getLimits() == null
                        || !container.getResources().getLimits().keySet().containsAll(Set.of("cpu", "memory"))
                        || container.getResources().getRequests() == null
                        || !container.getResources().getRequests().keySet().containsAll(Set.of("cpu", "memory"))) {
                    problems.add(at + ": needs cpu and memory requests and limits");
                }
                var security = container.getSecurityContext();
                if (security == null
                        || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                        || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                        || security.getCapabilities() == null
                        || security.getCapabilities().getDrop() == null
                        || !security.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(at + ": needs a read-only root, no privilege escalation and all capabilities dropped");
                }
                String image = container.getImage();
                int slash = image.lastIndexOf('/');
                int colon = image.lastIndexOf(':');
                if (colon < slash || image.endsWith(":latest")) {
                    problems.add(at + ": image '" + image + "' must have a tag other than latest");
                }
            }
            Container service = pod.getContainers().get(0);
            if (SERVICES.contains(deployment.getMetadata().getName())
                    && service.getReadinessProbe() != null
                    && service.getLivenessProbe() != null
                    && service.getStartupProbe() != null) {
                for (String probe : List.of("ready", "live", "started")) {
                    String path = switch (probe) {
                        case "ready" -> service.getReadinessProbe().getHttpGet().getPath();
                        case "live" -> service.getLivenessProbe().getHttpGet().getPath();
                        default -> service.getStartupProbe().getHttpGet().getPath();
                    };
                    assertEquals("/q/health/" + probe, path, id);
                }
                assertEquals(
                        "management",
                        service.getReadinessProbe().getHttpGet().getPort().getStrVal(),
                        id + ": probes go to the management port");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsCoveredByANetworkPolicyBehindADefaultDeny(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        List<NetworkPolicy> policies = objects.stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .toList();
        assertTrue(
                policies.stream()
                        .anyMatch(p -> p.getSpec().getPodSelector().getMatchLabels() == null
                                || p.getSpec().getPodSelector().getMatchLabels().isEmpty()
                                        && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))),
                "a default-deny policy for all pods");
        List<String> uncovered = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof Service service) {
                Map<String, String> selector = service.getSpec().getSelector();
                boolean covered = policies.stream()
                        .map(p -> p.getSpec().getPodSelector().getMatchLabels())
                        .anyMatch(labels -> labels != null
                                && !labels.isEmpty()
                                && selector.entrySet().containsAll(labels.entrySet()));
                if (!covered) {
                    uncovered.add("Service/" + service.getMetadata().getName());
                }
            }
        }
        assertTrue(uncovered.isEmpty(), "no NetworkPolicy selects the pods of " + uncovered);
        long ingresses =
                objects.stream().filter(o -> o.getKind().equals("Ingress")).count();
        assertEquals(1, ingresses, "only the gateway is reachable from outside");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noSecretValuesAreCommitted(String overlay) throws IOException {
        for (HasMetadata object : render(overlay)) {
            if (object instanceof Secret secret) {
                assertTrue(
                        (secret.getData() == null || secret.getData().isEmpty())
                                && (secret.getStringData() == null
                                        || secret.getStringData().isEmpty()),
                        "Secret/" + secret.getMetadata().getName() + " carries data");
            }
        }
        try (Stream<Path> files = Files.walk(KUBERNETES.resolve("base"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String text = Files.readString(file);
                assertFalse(text.contains("-demo-secret") || text.contains("-demo\""), file + " holds a demo secret");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyConfigKeyADeploymentSetsIsOneTheServiceReads(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        List<String> unknown = new ArrayList<>();
        for (String service : SERVICES) {
            Deployment deployment = objects.stream()
                    .filter(o ->
                            o instanceof Deployment && o.getMetadata().getName().equals(service))
                    .map(Deployment.class::cast)
                    .findFirst()
                    .orElseThrow();
            Set<String> keys = new HashSet<>();
            Container container =
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            container.getEnv().forEach(env -> keys.add(env.getName()));
            container
                    .getEnvFrom()
                    .forEach(from -> objects.stream()
                            .filter(o -> o.getKind().equals("ConfigMap")
                                    && o.getMetadata()
                                            .getName()
                                            .equals(from.getConfigMapRef().getName()))
                            .map(io.fabric8.kubernetes.api.model.ConfigMap.class::cast)
                            .forEach(map -> keys.addAll(map.getData().keySet())));
            Set<String> known = knownKeys(service);
            keys.stream().filter(key -> !known.contains(key)).forEach(key -> unknown.add(service + ": " + key));
        }
        assertTrue(unknown.isEmpty(), "keys the services do not read:\n" + String.join("\n", unknown));
    }

    @Test
    void theRealmImportIsGeneratedFromTheLocalRealmWithoutItsDemoParts() throws IOException {
        Path committed = KUBERNETES.resolve("base/platform/keycloak-realm-import.yaml");
        String generated = RealmImport.yaml(RealmImport.build(ROOT.resolve("identity/vetted-access-realm.json")));
        if (Boolean.getBoolean("regenerate")) {
            Files.writeString(committed, generated);
        }
        assertEquals(
                generated,
                Files.readString(committed),
                "keycloak-realm-import.yaml drifted from identity/: run ./mvnw test -pl kubernetes -Dregenerate=true");
        JsonNode realm =
                JSON.valueToTree(Kustomize.load(committed).get(0)).path("spec").path("realm");
        realm.path("users").forEach(user -> assertTrue(user.has("serviceAccountClientId"), "no demo users"));
        realm.path("clients").forEach(client -> assertFalse(client.has("secret"), "no demo client secrets"));
        assertFalse(
                realm.toString().contains("localhost:8080"),
                "no local portal URLs (the CLI keeps RFC 8252 loopback redirects)");
    }

    /**
     * What a service reads: the keys of its {@code @ConfigMapping} interfaces (as environment variables), and
     * the Quarkus keys its application.properties sets or references.
     */
    private static Set<String> knownKeys(String service) throws IOException {
        Set<String> known = new HashSet<>();
        String properties =
                Files.readString(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
        for (String line : properties.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#") && line.contains("=")) {
                known.add(env(line.substring(0, line.indexOf('=')).replaceFirst("^%[a-z]+\\.", "")));
            }
            var reference = java.util.regex.Pattern.compile("\\$\\{([A-Z_]+)").matcher(line);
            while (reference.find()) {
                known.add(reference.group(1));
            }
        }
        // Credentials Quarkus reads that no properties file may hold.
        known.addAll(Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"));
        if (service.equals("kyc-service")) {
            known.addAll(Set.of("QUARKUS_MAILER_USERNAME", "QUARKUS_MAILER_PASSWORD"));
        }
        if (service.equals("usage-ledger")) {
            known.addAll(Set.of("QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD"));
            known.addAll(mappingKeys(org.vettedaccess.ledger.config.LedgerConfig.class));
        }
        known.addAll(mappingKeys(org.vettedaccess.support.config.ServiceIdentityConfig.class));
        return known;
    }

    private static Collection<String> mappingKeys(Class<?> mapping) {
        String prefix =
                mapping.getAnnotation(io.smallrye.config.ConfigMapping.class).prefix();
        List<String> keys = new ArrayList<>();
        for (Method method : mapping.getDeclaredMethods()) {
            String kebab =
                    method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            keys.add(env(prefix + "." + kebab));
        }
        return keys;
    }

    private static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    private static void unknownFields(Object object, String path, List<String> problems, Set<Object> seen) {
        if (object == null
                || !seen.add(object)
                || !object.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(object);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else if (value instanceof Collection<?> items) {
                items.forEach(item -> unknownFields(item, path, problems, seen));
            } else if (value instanceof Map<?, ?> map) {
                map.values().forEach(item -> unknownFields(item, path, problems, seen));
            } else {
                unknownFields(value, path, problems, seen);
            }
        }
    }
}
