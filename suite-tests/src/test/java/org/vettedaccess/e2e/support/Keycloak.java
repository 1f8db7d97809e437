package org.vettedaccess.e2e.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Real tokens from the suite's real Keycloak: demo users, service accounts, and throw-away probe clients. */
public final class Keycloak {

    public static final String REALM = "vetted-access";
    public static final List<String> SERVICES = List.of("gateway", "kyc-service", "access-policy", "usage-ledger");

    private final String url;

    Keycloak(String url) {
        this.url = url;
    }

    /**
     * A demo user's access token, through the public CLI client: a password grant, which the local realm binds to
     * a flow without the staff second factor (local demos and tests only; the production realm has no such client).
     */
    public String userToken(String username) {
        return token(Map.of(
                "grant_type", "password", "client_id", "cli", "username", username, "password", username + "-demo"));
    }

    /** A client-credentials token for a confidential client of the realm. */
    public String clientToken(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private String token(Map<String, String> form) {
        for (int attempt = 1; ; attempt++) {
            io.restassured.response.Response answer =
                    given().formParams(form).post(url + "/realms/" + REALM + "/protocol/openid-connect/token");
            // Keycloak 26's brute-force protector refuses a login that overlaps another of the same user (event
            // "user_temporarily_disabled", answered as a plain invalid_grant); CI saw paula's token refused so once.
            // Callers expect a token, so a 400 is tried again briefly; a real lockout outlasts these retries.
            if (answer.statusCode() == 400 && attempt < 4) {
                sleep(500);
                continue;
            }
            return answer.then().statusCode(200).extract().path("access_token");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Creates a confidential client whose service-account tokens are addressed to {@code audiences}, carry
     * {@code realmRole} (if not null) and live {@code lifespanSeconds}; returns its secret-bearing handle. The
     * realm file stays free of test clients: probes are made through the admin API, per run.
     */
    public ProbeClient probeClient(List<String> audiences, String realmRole, int lifespanSeconds) {
        return probeClientWithRoles(audiences, realmRole == null ? List.of() : List.of(realmRole), lifespanSeconds);
    }

    /** As above, with several realm roles (e.g. a reviewer who is also a researcher). */
    public ProbeClient probeClientWithRoles(List<String> audiences, List<String> realmRoles, int lifespanSeconds) {
        return probeClient(tokenMappers(audiences, "included.client.audience", realmRoles), lifespanSeconds);
    }

    /**
     * As {@link #probeClient}, but its genuinely signed tokens say they are not valid before {@code notBefore}
     * (an {@code nbf} claim set by a hard-coded claim mapper), as a token issued by a clock running ahead would.
     */
    public ProbeClient probeClientNotBefore(List<String> audiences, String realmRole, Instant notBefore) {
        List<Map<String, Object>> mappers = tokenMappers(audiences, "included.client.audience", List.of(realmRole));
        mappers.add(Map.of(
                "name",
                "not-before",
                "protocol",
                "openid-connect",
                "protocolMapper",
                "oidc-hardcoded-claim-mapper",
                "config",
                Map.of(
                        "claim.name",
                        "nbf",
                        "claim.value",
                        String.valueOf(notBefore.getEpochSecond()),
                        "jsonType.label",
                        "long",
                        "access.token.claim",
                        "true")));
        return probeClient(mappers, 300);
    }

    private ProbeClient probeClient(List<Map<String, Object>> mappers, int lifespanSeconds) {
        String clientId = "e2e-probe-" + UUID.randomUUID();
        String secret = UUID.randomUUID().toString();
        Map<String, Object> client = Map.of(
                "clientId",
                clientId,
                "secret",
                secret,
                "publicClient",
                false,
                "standardFlowEnabled",
                false,
                "serviceAccountsEnabled",
                true,
                "protocolMappers",
                mappers,
                "attributes",
                Map.of("access.token.lifespan", String.valueOf(lifespanSeconds)));
        given().auth()
                .oauth2(adminToken())
                .contentType(ContentType.JSON)
                .body(client)
                .post(url + "/admin/realms/" + REALM + "/clients")
                .then()
                .statusCode(201);
        return new ProbeClient(clientId, secret);
    }

    /**
     * Creates a person in the realm with a password and realm roles (for browser sign-ins, which service accounts
     * cannot do); the password is {@code <username>-demo}, as for the demo users. Returns the user's subject id.
     */
    public String newUser(String username, List<String> realmRoles) {
        String admin = adminToken();
        Map<String, Object> user = Map.of(
                "username",
                username,
                "enabled",
                true,
                "email",
                username + "@example.org",
                "emailVerified",
                true,
                "firstName",
                username,
                "lastName",
                "Example",
                "credentials",
                List.of(Map.of("type", "password", "value", username + "-demo", "temporary", false)));
        String location = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(user)
                .post(url + "/admin/realms/" + REALM + "/users")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        List<Object> roles = new ArrayList<>();
        for (String role : realmRoles) {
            roles.add(given().auth()
                    .oauth2(admin)
                    .get(url + "/admin/realms/" + REALM + "/roles/" + role)
                    .then()
                    .statusCode(200)
                    .extract()
                    .as(Map.class));
        }
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(roles)
                .post(url + "/admin/realms/" + REALM + "/users/" + id + "/role-mappings/realm")
                .then()
                .statusCode(204);
        return id;
    }

    /**
     * Ends every session of the user in Keycloak, as an admin revoking them (or the user signing out elsewhere)
     * would; Keycloak then tells each client with a back-channel logout URL.
     */
    public void endSessions(String userId) {
        given().auth()
                .oauth2(adminToken())
                .post(url + "/admin/realms/" + REALM + "/users/" + userId + "/logout")
                .then()
                .statusCode(204);
    }

    /**
     * Adds a redirect URI to a client (idempotent), as a lab registering its public address would; the local realm
     * allows only plain-http loopback redirects.
     */
    @SuppressWarnings("unchecked")
    public void allowRedirect(String clientId, String redirectUri) {
        String admin = adminToken();
        Map<String, Object> client = client(admin, clientId);
        List<String> uris = new ArrayList<>((List<String>) client.get("redirectUris"));
        if (uris.contains(redirectUri)) {
            return;
        }
        uris.add(redirectUri);
        updateClient(admin, client, Map.of("redirectUris", uris));
    }

    /**
     * Sets one attribute of a client of the realm (e.g. {@code access.token.lifespan} of a service's own client) and
     * returns the value it had, or null.
     */
    @SuppressWarnings("unchecked")
    public String setClientAttribute(String clientId, String attribute, String value) {
        String admin = adminToken();
        Map<String, Object> client = client(admin, clientId);
        Map<String, Object> attributes = new java.util.HashMap<>((Map<String, Object>) client.get("attributes"));
        Object before = attributes.put(attribute, value);
        updateClient(admin, client, Map.of("attributes", attributes));
        return before == null ? null : before.toString();
    }

    /** A client's representation, found by its client id. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> client(String admin, String clientId) {
        List<Map<String, Object>> found = given().auth()
                .oauth2(admin)
                .queryParam("clientId", clientId)
                .get(url + "/admin/realms/" + REALM + "/clients")
                .then()
                .statusCode(200)
                .extract()
                .as(List.class);
        return found.get(0);
    }

    /** Changes only the given fields of a client (Keycloak leaves the fields a representation omits as they are). */
    private void updateClient(String admin, Map<String, Object> client, Map<String, Object> fields) {
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(fields)
                .put(url + "/admin/realms/" + REALM + "/clients/" + client.get("id"))
                .then()
                .statusCode(204);
    }

    /** Disables a user's account, as an admin in Keycloak's console would. */
    public void disableUser(String userId) {
        given().auth()
                .oauth2(adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("enabled", false))
                .put(url + "/admin/realms/" + REALM + "/users/" + userId)
                .then()
                .statusCode(204);
    }

    /** Takes a realm role away from a user. */
    public void removeRealmRole(String userId, String role) {
        String admin = adminToken();
        Object representation = given().auth()
                .oauth2(admin)
                .get(url + "/admin/realms/" + REALM + "/roles/" + role)
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(List.of(representation))
                .delete(url + "/admin/realms/" + REALM + "/users/" + userId + "/role-mappings/realm")
                .then()
                .statusCode(204);
    }

    /** The realm's public signing keys (its JWKS). */
    public io.restassured.path.json.JsonPath jwks() {
        return given().get(url + "/realms/" + REALM + "/protocol/openid-connect/certs")
                .jsonPath();
    }

    /**
     * A genuine token from a different realm of the same Keycloak (another issuer, other keys), for a client that
     * claims every service as audience and every role.
     */
    public String otherRealmToken() {
        String admin = adminToken();
        String realm = "other-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("realm", realm, "enabled", true))
                .post(url + "/admin/realms")
                .then()
                .statusCode(201);
        // Audiences by name (these clients do not exist in that realm), and every role of ours.
        List<Map<String, Object>> mappers = tokenMappers(
                SERVICES,
                "included.custom.audience",
                List.of("researcher", "kyc-reviewer", "policy-admin", "regulator"));
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "clientId",
                        "impostor",
                        "secret",
                        "impostor-secret",
                        "publicClient",
                        false,
                        "standardFlowEnabled",
                        false,
                        "serviceAccountsEnabled",
                        true,
                        "protocolMappers",
                        mappers))
                .post(url + "/admin/realms/" + realm + "/clients")
                .then()
                .statusCode(201);
        return given().formParams(Map.of(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        "impostor",
                        "client_secret",
                        "impostor-secret"))
                .post(url + "/realms/" + realm + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    /** A client made by {@link #probeClient}. */
    public record ProbeClient(String clientId, String secret) {}

    /** Protocol mappers that put {@code audiences} in the access token and give it {@code realmRoles}. */
    private static List<Map<String, Object>> tokenMappers(
            List<String> audiences, String audienceKey, List<String> realmRoles) {
        List<Map<String, Object>> mappers = new ArrayList<>();
        for (String audience : audiences) {
            mappers.add(Map.of(
                    "name",
                    "audience-" + audience,
                    "protocol",
                    "openid-connect",
                    "protocolMapper",
                    "oidc-audience-mapper",
                    "config",
                    Map.of(audienceKey, audience, "access.token.claim", "true")));
        }
        for (String realmRole : realmRoles) {
            mappers.add(Map.of(
                    "name",
                    "role-" + realmRole,
                    "protocol",
                    "openid-connect",
                    "protocolMapper",
                    "oidc-hardcoded-role-mapper",
                    "config",
                    Map.of("role", realmRole)));
        }
        return mappers;
    }

    private String adminToken() {
        return given().formParams(Map.of(
                        "grant_type",
                        "password",
                        "client_id",
                        "admin-cli",
                        "username",
                        "admin",
                        "password",
                        "admin-demo"))
                .post(url + "/realms/master/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }
}
