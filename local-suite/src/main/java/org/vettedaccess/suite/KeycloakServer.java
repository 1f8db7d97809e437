package org.vettedaccess.suite;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak from its Maven distribution, in dev mode, with the committed {@code vetted-access} realm imported, and
 * beside it the {@code orcid-stand-in} realm that plays ORCID for local runs and tests (ADR 0048): the realm's
 * {@code orcid} identity provider is pointed at it here, never in the committed file.
 */
final class KeycloakServer {

    /** The root pom's {@code keycloak.version}, filtered into this jar: the one place the version is written. */
    static final String VERSION = SuiteInfo.keycloakVersion();

    static final String REALM = "vetted-access";
    /** Demo-only bootstrap admin of the local Keycloak (README.md); never used outside local runs. */
    static final String ADMIN_USER = "admin";

    static final String ADMIN_PASSWORD = "admin-demo";

    /** The local realm that stands in for ORCID's OpenID Connect; its users' ids are ORCID-shaped iDs. */
    static final String ORCID_STAND_IN = "orcid-stand-in";
    /** The stand-in's client for the broker and its demo secret (identity/orcid-stand-in-realm.json). */
    static final String ORCID_STAND_IN_CLIENT = "vetted-access-broker";

    static final String ORCID_STAND_IN_SECRET = "orcid-stand-in-demo-secret";

    private KeycloakServer() {}

    /** Unpacks the distribution once into {@code cache}; later starts reuse it. */
    static Path unpack(Path zip, Path cache) throws SuiteException {
        Path home = cache.resolve("keycloak-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            return home;
        }
        if (zip == null || !Files.isRegularFile(zip)) {
            throw new SuiteException("the Keycloak distribution is missing (" + zip
                    + "): run ./suite up, which fetches it through Maven");
        }
        Path partial = cache.resolve("keycloak-" + VERSION + ".partial");
        try {
            deleteTree(partial);
            Files.createDirectories(partial);
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    // Entries are "keycloak-<version>/..."; drop that first segment.
                    String name = entry.getName().substring(entry.getName().indexOf('/') + 1);
                    Path target = partial.resolve(name).normalize();
                    if (name.isEmpty() || !target.startsWith(partial)) {
                        continue;
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> scripts = Files.list(partial.resolve("bin"))) {
                scripts.filter(p -> p.toString().endsWith(".sh"))
                        .forEach(p -> p.toFile().setExecutable(true));
            }
            Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            return home;
        } catch (IOException e) {
            throw new SuiteException("cannot unpack Keycloak into " + cache + ": " + e.getMessage(), e);
        }
    }

    /** The portal's back-channel logout URL in the realm file, for the gateway on its default port. */
    static final String BACK_CHANNEL_LOGOUT = "http://localhost:8080/portal/back-channel-logout";

    static ChildProcess start(Path home, Path realmFile, SuitePorts ports, Path log, PidFiles pids)
            throws SuiteException {
        try {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            // Keycloak calls the portal's back-channel logout on the gateway, whichever port it runs on here.
            String realm = Files.readString(realmFile)
                    .replace(
                            BACK_CHANNEL_LOGOUT,
                            "http://localhost:" + ports.http().get(ServiceSpec.GATEWAY.name())
                                    + "/portal/back-channel-logout");
            Files.writeString(imports.resolve(REALM + "-realm.json"), orcidStandIn(realm, url(ports)));
            Files.copy(
                    realmFile.resolveSibling(ORCID_STAND_IN + "-realm.json"),
                    imports.resolve(ORCID_STAND_IN + "-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SuiteException("cannot stage the realm file " + realmFile + ": " + e.getMessage(), e);
        }
        List<String> command = List.of(
                "bash",
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                // A fresh in-memory database each start: the realm file is the single source of truth.
                "--db=dev-mem",
                "--cache=local",
                "--http-host=127.0.0.1",
                "--http-port=" + ports.keycloak(),
                "--http-management-port=" + ports.keycloakManagement(),
                "--hostname=" + url(ports),
                "--health-enabled=true");
        Map<String, String> environment = Map.of(
                "JAVA_HOME",
                System.getProperty("java.home"),
                "JAVA_OPTS_KC_HEAP",
                "-Xms64m -Xmx768m",
                "KC_BOOTSTRAP_ADMIN_USERNAME",
                ADMIN_USER,
                "KC_BOOTSTRAP_ADMIN_PASSWORD",
                ADMIN_PASSWORD,
                // The realm file's placeholders for a lab's own ORCID client (identity/README.md).
                "ORCID_CLIENT_ID",
                ORCID_STAND_IN_CLIENT,
                "ORCID_CLIENT_SECRET",
                ORCID_STAND_IN_SECRET);
        return ChildProcess.start("keycloak", command, environment, log, pids);
    }

    /** The realm file with its {@code orcid} identity provider's ORCID endpoints replaced by the stand-in's. */
    static String orcidStandIn(String realm, String keycloakUrl) {
        String standIn = keycloakUrl + "/realms/" + ORCID_STAND_IN;
        String oidc = standIn + "/protocol/openid-connect";
        Map<String, String> endpoints = Map.of(
                "\"https://orcid.org\"", "\"" + standIn + "\"",
                "\"https://orcid.org/oauth/authorize\"", "\"" + oidc + "/auth\"",
                "\"https://orcid.org/oauth/token\"", "\"" + oidc + "/token\"",
                "\"https://orcid.org/oauth/userinfo\"", "\"" + oidc + "/userinfo\"",
                "\"https://orcid.org/oauth/jwks\"", "\"" + oidc + "/certs\"");
        for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
            if (!realm.contains(endpoint.getKey())) {
                throw new IllegalStateException("the realm file has no ORCID endpoint " + endpoint.getKey());
            }
            realm = realm.replace(endpoint.getKey(), endpoint.getValue());
        }
        return realm;
    }

    static String url(SuitePorts ports) {
        return "http://localhost:" + ports.keycloak();
    }

    static void awaitReady(ChildProcess keycloak, SuitePorts ports, Duration timeout) throws SuiteException {
        keycloak.awaitHttpOk(
                URI.create(url(ports) + "/realms/" + REALM + "/.well-known/openid-configuration"), timeout);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
