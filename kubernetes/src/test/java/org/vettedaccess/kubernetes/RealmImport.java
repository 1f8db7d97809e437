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
 * out: the demo users and their passwords, the demo client secrets (the operator's Keycloak generates real
 * ones), the password grant of the CLI client, and localhost URLs.
 */
final class RealmImport {

    static final String PUBLIC_URL = "https://access.example-lab.org";
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
        for (JsonNode node : realm.withArray("clients")) {
            ObjectNode client = (ObjectNode) node;
            client.remove("secret");
            if (client.path("clientId").asText().equals("cli")) {
                client.put("directAccessGrantsEnabled", false);
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
