package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.vettedaccess.kubernetes.Overlays.JSON;
import static org.vettedaccess.kubernetes.Overlays.deployment;
import static org.vettedaccess.kubernetes.Overlays.environment;
import static org.vettedaccess.kubernetes.Overlays.job;
import static org.vettedaccess.kubernetes.Overlays.render;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ledger's database roles in the rendered overlays: the running ledger appends, only its migration Job owns. */
class LedgerRolesManifestsTest {

    /**
     * The ledger's append-only role protects nothing if the running ledger can log in as the database's owner: the
     * owner's Secret (found from the CNPG Database and Cluster, not by name) is referenced by the migration Job and
     * by no ledger pod, which holds only the append role's Secret, its pseudonym key, its signing key and the
     * scope-tag keys it checks conformance with (ADR 0046).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theLedgerPodHoldsOnlyTheAppendRoleAndTheMigrationJobTheOwner(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        String owner = cnpg(objects, "Database").stream()
                .filter(db -> "va_ledger".equals(spec(db).path("name").asText()))
                .map(db -> spec(db).path("owner").asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no CNPG Database va_ledger"));
        String ownerSecret = roleSecret(objects, owner);
        String appenderSecret = roleSecret(objects, "ledger_appender");
        assertFalse(ownerSecret.equals(appenderSecret), "the owner and the append role share a Secret");

        PodSpec ledger =
                deployment(objects, "usage-ledger").getSpec().getTemplate().getSpec();
        Set<String> held = secretsOf(ledger);
        assertFalse(held.contains(ownerSecret), "Deployment/usage-ledger holds the owner's Secret " + ownerSecret);
        assertEquals(
                Set.of(appenderSecret, "usage-ledger-keys", "usage-ledger-signing-key", "gateway-scope-tags"),
                held,
                "the Secrets the running ledger holds");
        Container service = ledger.getContainers().get(0);
        service.getEnv()
                .forEach(env -> assertFalse(
                        env.getName().startsWith("QUARKUS_FLYWAY_")
                                && !env.getName().equals("QUARKUS_FLYWAY_MIGRATE_AT_START"),
                        "Deployment/usage-ledger sets " + env.getName()));
        assertEquals(appenderSecret, secretOf(service, "QUARKUS_DATASOURCE_USERNAME"));
        assertEquals(appenderSecret, secretOf(service, "QUARKUS_DATASOURCE_PASSWORD"));
        assertFalse(
                environment(objects, service).keySet().stream()
                        .anyMatch(k -> k.startsWith("QUARKUS_FLYWAY_") && !k.equals("QUARKUS_FLYWAY_MIGRATE_AT_START")),
                "the ledger's ConfigMap sets Flyway's own connection");

        PodSpec migration =
                job(objects, "usage-ledger-migrate").getSpec().getTemplate().getSpec();
        Container migrate = migration.getContainers().get(0);
        assertEquals(ownerSecret, secretOf(migrate, "QUARKUS_DATASOURCE_USERNAME"), "the Job migrates as the owner");
        assertEquals(ownerSecret, secretOf(migrate, "QUARKUS_DATASOURCE_PASSWORD"), "the Job migrates as the owner");
        Set<String> jobSecrets = secretsOf(migration);
        assertFalse(jobSecrets.contains("usage-ledger-signing-key"), "the migration Job needs no signing key");
        assertFalse(jobSecrets.contains("usage-ledger-keys"), "the migration Job needs no pseudonym key");
    }

    private static List<GenericKubernetesResource> cnpg(List<HasMetadata> objects, String kind) {
        return objects.stream()
                .filter(o -> o instanceof GenericKubernetesResource g
                        && "postgresql.cnpg.io/v1".equals(g.getApiVersion())
                        && kind.equals(g.getKind()))
                .map(GenericKubernetesResource.class::cast)
                .toList();
    }

    private static JsonNode spec(GenericKubernetesResource resource) {
        return JSON.valueToTree(resource.getAdditionalProperties()).path("spec");
    }

    /**
     * The scope-tag key (ADR 0046) reaches the gateway and the ledger from its own Secret, optional in both: a
     * cluster without it runs, with untagged usage leaves.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theScopeTagKeysComeFromTheirOwnOptionalSecret(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        for (String[] wiring : new String[][] {
            {"gateway", "GATEWAY_SCOPE_TAGS_KEY", "key"}, {"usage-ledger", "LEDGER_SCOPE_TAG_KEYS", "verify-keys"}
        }) {
            var ref =
                    deployment(objects, wiring[0])
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getEnv()
                            .stream()
                            .filter(e -> e.getName().equals(wiring[1]))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(wiring[0] + " has no " + wiring[1]))
                            .getValueFrom()
                            .getSecretKeyRef();
            assertEquals("gateway-scope-tags", ref.getName(), wiring[1]);
            assertEquals(wiring[2], ref.getKey(), wiring[1]);
            assertEquals(Boolean.TRUE, ref.getOptional(), wiring[1] + " is optional");
        }
    }

    /** The Secret holding a role's password: the Cluster's initdb owner or one of its managed roles. */
    private static String roleSecret(List<HasMetadata> objects, String role) {
        for (GenericKubernetesResource cluster : cnpg(objects, "Cluster")) {
            JsonNode spec = spec(cluster);
            JsonNode initdb = spec.path("bootstrap").path("initdb");
            if (role.equals(initdb.path("owner").asText())) {
                return initdb.path("secret").path("name").asText();
            }
            for (JsonNode managed : spec.path("managed").path("roles")) {
                if (role.equals(managed.path("name").asText())) {
                    return managed.path("passwordSecret").path("name").asText();
                }
            }
        }
        throw new AssertionError("no CNPG role " + role);
    }

    /** Every Secret a pod's containers and volumes reference. */
    private static Set<String> secretsOf(PodSpec pod) {
        Set<String> secrets = new TreeSet<>();
        List<Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (Container container : containers) {
            if (container.getEnv() != null) {
                container.getEnv().stream()
                        .filter(e ->
                                e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e ->
                                secrets.add(e.getValueFrom().getSecretKeyRef().getName()));
            }
            if (container.getEnvFrom() != null) {
                container.getEnvFrom().stream()
                        .filter(f -> f.getSecretRef() != null)
                        .forEach(f -> secrets.add(f.getSecretRef().getName()));
            }
        }
        if (pod.getVolumes() != null) {
            for (var volume : pod.getVolumes()) {
                if (volume.getSecret() != null) {
                    secrets.add(volume.getSecret().getSecretName());
                }
                if (volume.getProjected() != null) {
                    volume.getProjected().getSources().stream()
                            .filter(source -> source.getSecret() != null)
                            .forEach(source -> secrets.add(source.getSecret().getName()));
                }
            }
        }
        return secrets;
    }

    private static String secretOf(Container container, String variable) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(variable)
                        && e.getValueFrom() != null
                        && e.getValueFrom().getSecretKeyRef() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef().getName())
                .findFirst()
                .orElse(null);
    }
}
