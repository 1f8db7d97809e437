package org.vettedaccess.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds the Keycloak Operator's {@code KeycloakRealmImport} from identity/vetted-access-realm.json, the file
 * the local suite imports, so the cluster's realm cannot drift from it. What is only for local runs is left
 * out: the demo users and their passwords and TOTP secrets, the demo client secrets (the operator's Keycloak
 * generates real ones), the public {@code cli} client with its password and device grants and its local-only
 * direct-grant flow, and localhost URLs. No client of the production realm has a password or device grant: a
 * password grant skips the browser flow's second factor, and a device grant invites device-code phishing.
 */
final class RealmImport {

    static final String PUBLIC_URL = "https://access.example-lab.org";
    /** The public client for local demos and tests (password and device grants); production has none. */
    static final String LOCAL_CLI_CLIENT = "cli";
    /** The direct-grant flow without a second factor that only the local {@code cli} client is bound to. */
    static final String LOCAL_DIRECT_GRANT_FLOW = "direct grant without second factor (local only)";
    /** Keycloak's built-in client in every realm, password grant on by default: switched off here. */
    static final String ADMIN_CLI_CLIENT = "admin-cli";
    /** The Secret holding the lab's ORCID client id and secret (identity/README.md). */
    static final String ORCID_SECRET = "orcid-client";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RealmImport() {}

    static ObjectNode build(Path realmFile) throws IOException {
        ObjectNode realm = (ObjectNode) JSON.readTree(realmFile.toFile());
        realm.put("sslRequired", "all");
        ArrayNode users = JSON.createArrayNode();
        for (JsonNode user : realm.withArray("users")) {
            if (user.has("serviceAccountClientId")) {
                users.add(user);
            }
        }
        realm.set("users", users);
        ArrayNode clients = JSON.createArrayNode();
        realm.withArray("clients").forEach(client -> {
            if (!client.path("clientId").asText().equals(LOCAL_CLI_CLIENT)) {
                clients.add(client);
            }
        });
        // Declared so that Keycloak does not create it with its default password grant.
        clients.addObject()
                .put("clientId", ADMIN_CLI_CLIENT)
                .put("name", "${client_admin-cli}")
                .put("enabled", true)
                .put("publicClient", true)
                .put("standardFlowEnabled", false)
                .put("implicitFlowEnabled", false)
                .put("directAccessGrantsEnabled", false)
                .put("serviceAccountsEnabled", false);
        realm.set("clients", clients);
        ArrayNode flows = JSON.createArrayNode();
        realm.withArray("authenticationFlows").forEach(flow -> {
            if (!flow.path("alias").asText().equals(LOCAL_DIRECT_GRANT_FLOW)) {
                flows.add(flow);
            }
        });
        realm.set("authenticationFlows", flows);
        for (JsonNode node : clients) {
            ObjectNode client = (ObjectNode) node;
            client.remove("secret");
            client.remove("authenticationFlowBindingOverrides");
            client.put("directAccessGrantsEnabled", false);
            if (client.has("attributes")) {
                ((ObjectNode) client.get("attributes")).remove("oauth2.device.authorization.grant.enabled");
            }
            String text = client.toString().replace("http://localhost:8080", PUBLIC_URL);
            client.removeAll();
            client.setAll((ObjectNode) JSON.readTree(text));
            // The portal signs in through localhost redirects in local runs on other ports; production has none.
            if (client.path("clientId").asText().equals("portal")) {
                ArrayNode kept = JSON.createArrayNode();
                client.withArray("redirectUris").forEach(uri -> {
                    if (!isLocal(uri.asText())) {
                        kept.add(uri);
                    }
                });
                client.set("redirectUris", kept);
            }
            JsonNode logout = client.path("attributes").path("post.logout.redirect.uris");
            if (client.path("clientId").asText().equals("portal") && logout.isTextual()) {
                String publicOnly = java.util.Arrays.stream(logout.asText().split("##"))
                        .filter(uri -> !isLocal(uri))
                        .collect(java.util.stream.Collectors.joining("##"));
                ((ObjectNode) client.get("attributes")).put("post.logout.redirect.uris", publicOnly);
            }
        }
        ObjectNode resource = JSON.createObjectNode();
        resource.put("apiVersion", "k8s.keycloak.org/v2alpha1");
        resource.put("kind", "KeycloakRealmImport");
        resource.putObject("metadata").put("name", "vetted-access");
        ObjectNode spec = resource.putObject("spec");
        spec.put("keycloakCRName", "keycloak");
        // The lab's own ORCID client for the realm's orcid identity provider (ADR 0048), from a Secret it creates.
        ObjectNode placeholders = spec.putObject("placeholders");
        placeholders
                .putObject("ORCID_CLIENT_ID")
                .putObject("secret")
                .put("name", ORCID_SECRET)
                .put("key", "client-id");
        placeholders
                .putObject("ORCID_CLIENT_SECRET")
                .putObject("secret")
                .put("name", ORCID_SECRET)
                .put("key", "client-secret");
        spec.set("realm", realm);
        return resource;
    }

    static String yaml(ObjectNode resource) throws IOException {
        return "# GENERATED from identity/vetted-access-realm.json by kubernetes/src/test/java/.../RealmImport.java.\n"
                + "# Do not edit: change the realm file and run ./mvnw test -pl kubernetes -Dregenerate=true\n"
                + Kubectl.YAML.writeValueAsString(resource).replaceFirst("^---\\n", "");
    }

    private static boolean isLocal(String uri) {
        return uri.startsWith("http://localhost") || uri.startsWith("http://127.0.0.1");
    }
}
