package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vettedaccess.ledger.core.Cosignature;

/**
 * The witness is part of what every overlay deploys, and the ledger is pointed at it by the manifests: the ledger's
 * {@code LEDGER_WITNESSES} comes from the witness's ConfigMap, names a cosignature key that parses under the
 * witness's own {@code --name}, and a URL on the witness Service's port; the witness keeps its state on a retained
 * claim, with one replica.
 */
class WitnessManifestsTest {

    private static final Path OVERLAYS = Path.of(System.getProperty("repo.root", ".."))
            .toAbsolutePath()
            .normalize()
            .resolve("kubernetes/overlays");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theLedgerSubmitsToTheWitnessTheManifestsRun(String overlay) throws IOException {
        List<Map<String, Object>> objects = Kubectl.kustomize(OVERLAYS.resolve(overlay));
        Map<String, Object> ledger = find(objects, "Deployment", "usage-ledger");
        Map<String, Object> env = container(ledger).get("env") instanceof List<?> list
                ? list.stream()
                        .map(WitnessManifestsTest::map)
                        .filter(e -> "LEDGER_WITNESSES".equals(e.get("name")))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("the ledger has no LEDGER_WITNESSES"))
                : Map.of();
        Map<String, Object> ref = map(map(env.get("valueFrom")).get("configMapKeyRef"));
        Map<String, Object> config = find(objects, "ConfigMap", String.valueOf(ref.get("name")));
        String value = String.valueOf(map(config.get("data")).get(ref.get("key")));
        String[] parts = value.strip().split("\\s+");
        assertEquals(2, parts.length, value);
        Cosignature.Verifier key = Cosignature.parseVerifier(parts[0]);

        Map<String, Object> witness = find(objects, "StatefulSet", "witness");
        List<?> command = (List<?>) container(witness).get("command");
        assertEquals(key.name(), command.get(command.indexOf("--name") + 1), "the key names the witness");
        Map<String, Object> service = find(objects, "Service", "witness");
        Object port =
                map(((List<?>) map(service.get("spec")).get("ports")).get(0)).get("port");
        assertEquals("http://witness:" + port, parts[1], "the URL is the witness Service");

        Map<String, Object> spec = map(witness.get("spec"));
        assertEquals(1, spec.get("replicas"), "one witness state per key");
        assertEquals(
                Map.of("whenDeleted", "Retain", "whenScaled", "Retain"),
                spec.get("persistentVolumeClaimRetentionPolicy"));
        Map<String, Object> claim = map(((List<?>) spec.get("volumeClaimTemplates")).get(0));
        assertTrue(
                ((List<?>) container(witness).get("volumeMounts"))
                        .stream()
                                .map(WitnessManifestsTest::map)
                                .anyMatch(m ->
                                        map(claim.get("metadata")).get("name").equals(m.get("name"))
                                                && "/var/lib/witness".equals(m.get("mountPath"))),
                "the state directory is on the claim");
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.get("kind"))
                        && name.equals(map(o.get("metadata")).get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        Map<String, Object> pod =
                map(map(map(workload.get("spec")).get("template")).get("spec"));
        return map(((List<?>) pod.get("containers")).get(0));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
