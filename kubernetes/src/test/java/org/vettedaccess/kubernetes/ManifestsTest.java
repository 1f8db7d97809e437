package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.kubernetes.Overlays.KUBERNETES;
import static org.vettedaccess.kubernetes.Overlays.deployment;
import static org.vettedaccess.kubernetes.Overlays.environment;
import static org.vettedaccess.kubernetes.Overlays.job;
import static org.vettedaccess.kubernetes.Overlays.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay with kustomize semantics, parses every object into fabric8's typed Kubernetes models,
 * and fails on what would make the deployment unsafe or drift from the code ({@link LedgerRolesManifestsTest}: the
 * ledger's database roles; {@link RealmImportTest}: the production realm).
 */
class ManifestsTest {

    private static final Path ROOT = Overlays.ROOT;
    private static final List<String> SERVICES = List.of("gateway", "kyc-service", "access-policy", "usage-ledger");

    /** The schemas (ManifestsSchemaTest) check each object's fields; the namespace is this project's choice. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectIsInItsOverlaysNamespace(String overlay) throws IOException {
        for (HasMetadata object : render(overlay)) {
            assertEquals(
                    overlay.equals("prod") ? "vetted-access" : "vetted-access-dev",
                    object.getMetadata().getNamespace(),
                    object.getKind() + "/" + object.getMetadata().getName());
        }
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
            podHardened(id, pod, problems);
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
                hardenedAndLimited(at, container, problems);
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
        // The witness's StatefulSet: the same hardening and limits, readiness and liveness on its port.
        List<StatefulSet> statefulSets = render(overlay).stream()
                .filter(StatefulSet.class::isInstance)
                .map(StatefulSet.class::cast)
                .toList();
        assertEquals(1, statefulSets.size(), "the witness");
        for (StatefulSet statefulSet : statefulSets) {
            String id = "StatefulSet/" + statefulSet.getMetadata().getName();
            PodSpec pod = statefulSet.getSpec().getTemplate().getSpec();
            podHardened(id, pod, problems);
            for (Container container : pod.getContainers()) {
                String at = id + " container " + container.getName();
                if (container.getReadinessProbe() == null || container.getLivenessProbe() == null) {
                    problems.add(at + ": needs readiness and liveness probes");
                }
                hardenedAndLimited(at, container, problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Requests and limits, a read-only root, no privilege escalation, all capabilities dropped, a real tag. */
    private static void hardenedAndLimited(String at, Container container, List<String> problems) {
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

    /** The pod runs as non-root under seccomp RuntimeDefault. */
    private static void podHardened(String id, PodSpec pod, List<String> problems) {
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
        assertTrue(
                objects.stream().noneMatch(o -> o.getKind().equals("Ingress")),
                "the public entry is the Gateway API's HTTPRoutes, not an Ingress");
        assertEquals(
                Set.of("HTTPRoute/gateway", "HTTPRoute/keycloak"),
                objects.stream()
                        .filter(o -> o.getKind().equals("HTTPRoute"))
                        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                        .collect(java.util.stream.Collectors.toSet()),
                "only the portal and API, and Keycloak's login pages, are reachable from outside");
        for (HasMetadata object : objects) {
            if (object instanceof Service service) {
                assertTrue(
                        service.getSpec().getType() == null
                                || service.getSpec().getType().equals("ClusterIP"),
                        "Service/" + service.getMetadata().getName() + " must not be exposed by itself");
            }
        }
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
            // Its migration Job: the same keys, and Quarkus's init-and-exit.
            job(objects, service + "-migrate")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .stream()
                    .map(io.fabric8.kubernetes.api.model.EnvVar::getName)
                    .filter(key -> !known.contains(key) && !key.equals("QUARKUS_INIT_AND_EXIT"))
                    .forEach(key -> unknown.add(service + "-migrate: " + key));
        }
        assertTrue(unknown.isEmpty(), "keys the services do not read:\n" + String.join("\n", unknown));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceMigratesInAHardenedJobAndRunsWithMigrationsOff(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Deployment deployment = deployment(objects, service);
            Job job = job(objects, service + "-migrate");
            String id = "Job/" + job.getMetadata().getName();
            PodSpec pod = job.getSpec().getTemplate().getSpec();
            podHardened(id, pod, problems);
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                problems.add(id + ": must not mount a service-account token");
            }
            if (!Set.of("OnFailure", "Never").contains(pod.getRestartPolicy())) {
                problems.add(id + ": restartPolicy must be OnFailure or Never");
            }
            assertEquals(1, pod.getContainers().size(), id);
            Container migrate = pod.getContainers().get(0);
            hardenedAndLimited(id + " container " + migrate.getName(), migrate, problems);
            assertEquals(
                    deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage(),
                    migrate.getImage(),
                    id + " migrates with the image the Deployment runs");
            Map<String, String> jobEnv = environment(objects, migrate);
            assertEquals("true", jobEnv.get("QUARKUS_INIT_AND_EXIT"), id + ": migrates and exits");
            assertEquals("true", jobEnv.get("QUARKUS_FLYWAY_MIGRATE_AT_START"), id);
            Map<String, String> runtime = environment(
                    objects,
                    deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
            assertEquals(
                    "false",
                    runtime.get("QUARKUS_FLYWAY_MIGRATE_AT_START"),
                    "Deployment/" + service + " must not migrate: its Job does");
            assertFalse(runtime.containsKey("QUARKUS_INIT_AND_EXIT"), "Deployment/" + service);
            boolean isolated = objects.stream()
                    .filter(NetworkPolicy.class::isInstance)
                    .map(NetworkPolicy.class::cast)
                    .map(p -> p.getSpec().getPodSelector().getMatchLabels())
                    .anyMatch(labels -> labels != null
                            && !labels.isEmpty()
                            && job.getSpec()
                                    .getTemplate()
                                    .getMetadata()
                                    .getLabels()
                                    .entrySet()
                                    .containsAll(labels.entrySet()));
            if (!isolated) {
                problems.add(id + ": no NetworkPolicy selects its pods");
            }
        }
        assertEquals(
                SERVICES.size(),
                objects.stream().filter(Job.class::isInstance).count(),
                "one migration Job per service, nothing else");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
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
        // The issuer, set only where discovery goes through Keycloak's in-cluster address (locally it is discovered).
        known.add("QUARKUS_OIDC_TOKEN_ISSUER");
        if (service.equals("gateway")) {
            known.add("QUARKUS_OIDC_PORTAL_TOKEN_ISSUER");
        }
        if (service.equals("kyc-service") || service.equals("access-policy")) {
            known.addAll(Set.of("QUARKUS_MAILER_USERNAME", "QUARKUS_MAILER_PASSWORD"));
        }
        if (service.equals("usage-ledger")) {
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
}
