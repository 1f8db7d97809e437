package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object {@code kubectl kustomize} renders from each overlay is valid by the schema of its kind: Kubernetes'
 * OpenAPI definitions for the built-in kinds, the vendored CRDs for CloudNativePG, the Keycloak Operator, the
 * Gateway API and the Prometheus Operator (kubernetes/schemas/README.md). And the check has teeth: a manifest broken
 * on purpose, in each of the ways a hand edit breaks one, is refused.
 */
class ManifestsSchemaTest {

    private static final Path KUBERNETES = Path.of(System.getProperty("repo.root", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("kubernetes");
    private static Schemas schemas;

    @BeforeAll
    static void loadTheSchemas() throws IOException {
        schemas = Schemas.load(KUBERNETES.resolve("schemas"));
    }

    private static List<Map<String, Object>> render(String overlay) throws IOException {
        return Kubectl.kustomize(KUBERNETES.resolve("overlays").resolve(overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRenderedObjectIsValidByItsKindsSchema(String overlay) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> objects = render(overlay);
        assertTrue(objects.size() > 40, "rendered " + objects.size() + " objects");
        for (Map<String, Object> object : objects) {
            schemas.problems(object).forEach(problem -> problems.add(id(object) + ": " + problem));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aManifestBrokenOnPurposeIsRefused() throws IOException {
        refused("Deployment", "gateway", "a count as text", o -> spec(o).put("replicas", "two"));
        refused("Deployment", "gateway", "a misspelt field", o -> container(o).put("imagePullPolicyy", "Always"));
        refused("Deployment", "gateway", "a required field removed", o -> spec(o).remove("selector"));
        refused(
                "NetworkPolicy",
                "gateway",
                "a port out of its type",
                o -> firstEgressPort(o).put("protocol", 6));
        refused("Service", "gateway", "a field of another kind", o -> spec(o).put("replicas", 2));
        refused(
                "HTTPRoute",
                "gateway",
                "a backend port by name",
                o -> firstBackend(o).put("port", "http"));
        refused("Cluster", "vetted-db", "instances as text", o -> spec(o).put("instances", "three"));
        refused("Keycloak", "keycloak", "a field the operator does not know", o -> spec(o).put("hostnme", "x"));
        // The StatefulSet and PersistentVolumeClaim schemas are the project's own (kubernetes/schemas/README.md).
        refused("StatefulSet", "witness", "a misspelt field", o -> spec(o).put("volumeClaimTemplate", List.of()));
        refused(
                "StatefulSet",
                "witness",
                "a misspelt claim field",
                o -> claimSpec(o).put("accesModes", List.of()));
        refused(
                "StatefulSet",
                "witness",
                "a claim's storage as a map",
                o -> ((Map<String, Object>) claimSpec(o).get("resources"))
                        .put("requests", Map.of("storage", Map.of("size", "1Gi"))));
        refused(
                "StatefulSet",
                "witness",
                "an unknown retention",
                o -> ((Map<String, Object>) spec(o).get("persistentVolumeClaimRetentionPolicy"))
                        .put("whenDeleted", "Keep"));
        refused(
                "StatefulSet",
                "witness",
                "a misspelt pod field",
                o -> container(o).put("volumeMount", List.of()));
        refused("StatefulSet", "witness", "the template removed", o -> spec(o).remove("template"));
        refused("PodMonitor", "gateway", "a misspelt endpoint list", o -> {
            Object endpoints = spec(o).remove("podMetricsEndpoints");
            spec(o).put("podMetricEndpoints", endpoints);
        });
    }

    @Test
    void aStandaloneClaimIsCheckedByTheProjectsSchema() {
        Map<String, Object> claim = Map.of(
                "apiVersion",
                "v1",
                "kind",
                "PersistentVolumeClaim",
                "metadata",
                Map.of("name", "state"),
                "spec",
                Map.of(
                        "accessModes",
                        List.of("ReadWriteOnce"),
                        "resources",
                        Map.of("requests", Map.of("storage", "1Gi"))));
        assertTrue(schemas.problems(claim).isEmpty(), schemas.problems(claim).toString());
        Map<String, Object> misspelt = new java.util.HashMap<>(claim);
        misspelt.put("spec", Map.of("storageClass", "fast", "accessModes", List.of("ReadWriteOnce")));
        assertFalse(schemas.problems(misspelt).isEmpty(), "storageClass (for storageClassName) passed the schema");
    }

    @Test
    void everyKindTheManifestsUseHasASchemaAndAnUnknownKindIsRefused() throws IOException {
        Map<String, Object> unknown =
                Map.of("apiVersion", "example.org/v1", "kind", "Gizmo", "metadata", Map.of("name", "x"));
        assertFalse(schemas.problems(unknown).isEmpty(), "a kind with no schema");
        for (Map<String, Object> object : render("prod")) {
            assertFalse(
                    schemas.problems(object).stream().anyMatch(p -> p.startsWith("no schema")),
                    id(object) + " has a schema");
        }
    }

    private static void refused(String kind, String name, String how, Consumer<Map<String, Object>> breakIt)
            throws IOException {
        Map<String, Object> object = render("prod").stream()
                .filter(o ->
                        kind.equals(o.get("kind")) && name.equals(metadata(o).get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
        assertTrue(schemas.problems(object).isEmpty(), kind + "/" + name + " is valid before it is broken");
        breakIt.accept(object);
        List<String> problems = schemas.problems(object);
        assertFalse(problems.isEmpty(), kind + "/" + name + " with " + how + " passed the schema");
    }

    private static String id(Map<String, Object> object) {
        return object.get("kind") + "/" + metadata(object).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> object) {
        return (Map<String, Object>) object.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> deployment) {
        Map<String, Object> template = (Map<String, Object>) spec(deployment).get("template");
        return ((List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> claimSpec(Map<String, Object> statefulSet) {
        return (Map<String, Object>)
                ((List<Map<String, Object>>) spec(statefulSet).get("volumeClaimTemplates"))
                        .get(0)
                        .get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstEgressPort(Map<String, Object> policy) {
        Map<String, Object> rule = ((List<Map<String, Object>>) spec(policy).get("egress")).get(0);
        return ((List<Map<String, Object>>) rule.get("ports")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstBackend(Map<String, Object> route) {
        Map<String, Object> rule = ((List<Map<String, Object>>) spec(route).get("rules")).get(0);
        return ((List<Map<String, Object>>) rule.get("backendRefs")).get(0);
    }
}
