package org.vettedaccess.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.kubernetes.Overlays.JSON;
import static org.vettedaccess.kubernetes.Overlays.KUBERNETES;
import static org.vettedaccess.kubernetes.Overlays.ROOT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The production realm import: generated from the local realm without its demo parts, and strict on sign-in. */
class RealmImportTest {

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
                JSON.valueToTree(Kubectl.load(committed).get(0)).path("spec").path("realm");
        realm.path("users").forEach(user -> assertTrue(user.has("serviceAccountClientId"), "no demo users"));
        realm.path("clients").forEach(client -> assertFalse(client.has("secret"), "no demo client secrets"));
        assertFalse(realm.toString().contains("localhost:8080"), "no local portal URLs");
    }

    @Test
    void theProductionRealmHasNoPasswordOrDeviceGrantAndAsksStaffForASecondFactor() throws IOException {
        JsonNode realm = new ObjectMapper(new YAMLFactory())
                .readTree(KUBERNETES
                        .resolve("base/platform/keycloak-realm-import.yaml")
                        .toFile())
                .path("spec")
                .path("realm");
        Set<String> clientIds = new HashSet<>();
        realm.path("clients").forEach(client -> {
            String id = client.path("clientId").asText();
            clientIds.add(id);
            // Stated on every client: Keycloak's own default for admin-cli is a password grant.
            assertEquals(
                    "false",
                    client.path("directAccessGrantsEnabled").asText(),
                    id + " must not allow the password grant");
            assertFalse(
                    client.path("attributes")
                            .path("oauth2.device.authorization.grant.enabled")
                            .asBoolean(false),
                    id + " must not allow the device grant");
            assertFalse(client.has("authenticationFlowBindingOverrides"), id + " must use the realm's flows");
        });
        assertFalse(clientIds.contains("cli"), "no public cli client in production");
        assertTrue(
                clientIds.contains("admin-cli"), "admin-cli is declared, so Keycloak's password-grant default is off");
        realm.path("clients")
                .forEach(client -> assertFalse(
                        client.path("publicClient").asBoolean()
                                && client.path("standardFlowEnabled").asBoolean(true),
                        client.path("clientId").asText() + ": no public client signs people in"));

        // The browser flow asks whoever holds mfa-required for a TOTP code, and every staff role holds it.
        assertEquals("browser with second factor", realm.path("browserFlow").asText());
        Map<String, JsonNode> flows = new HashMap<>();
        realm.path("authenticationFlows")
                .forEach(flow -> flows.put(flow.path("alias").asText(), flow));
        assertFalse(flows.containsKey(RealmImport.LOCAL_DIRECT_GRANT_FLOW), "the local-only flow stays local");
        List<String> staffStep = new ArrayList<>();
        flows.get("second factor for staff")
                .path("authenticationExecutions")
                .forEach(step -> staffStep.add(step.path("authenticator").asText() + ":"
                        + step.path("requirement").asText()));
        assertEquals(
                List.of("conditional-user-role:REQUIRED", "auth-otp-form:REQUIRED", "webauthn-authenticator:DISABLED"),
                staffStep);
        Map<String, String> configs = new HashMap<>();
        realm.path("authenticatorConfig")
                .forEach(config -> configs.put(
                        config.path("alias").asText(),
                        config.path("config").path("condUserRole").asText()));
        assertEquals("mfa-required", configs.get("holds mfa-required"));
        Map<String, JsonNode> roles = new HashMap<>();
        realm.path("roles")
                .path("realm")
                .forEach(role -> roles.put(role.path("name").asText(), role));
        for (String staff : List.of("kyc-reviewer", "policy-admin", "regulator", "incident-triager")) {
            assertTrue(
                    roles.get(staff).path("composites").path("realm").toString().contains("\"mfa-required\""),
                    staff + " must require a second factor");
        }
        assertFalse(roles.get("researcher").has("composites"), "researchers: no second factor by default");
        // Monitors and witnesses are machines given client credentials; the role opens no portal and no entry.
        assertTrue(roles.containsKey("monitor"), "the monitor role (ADR 0012) is in the production realm");
        assertFalse(roles.get("monitor").has("composites"), "monitor is not a staff role");
    }
}
