package org.vettedaccess.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Facts about the suite that the build fills in ({@code vettedaccess-suite.properties}, filtered from the root pom),
 * so that the Keycloak version is written in one place. {@code SuiteInfo keycloak-version} prints it for
 * {@code ./suite}; {@code SuiteInfo keycloak-zip REPOSITORY} prints where Maven keeps its distribution.
 */
public final class SuiteInfo {

    private SuiteInfo() {}

    public static String keycloakVersion() {
        Properties properties = new Properties();
        try (InputStream in = SuiteInfo.class.getResourceAsStream("/vettedaccess-suite.properties")) {
            if (in == null) {
                throw new IllegalStateException("vettedaccess-suite.properties is missing from the local-suite jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("keycloak.version");
    }

    /** The Keycloak distribution's place in a Maven local repository. */
    public static Path keycloakZip(Path repository) {
        String version = keycloakVersion();
        return repository.resolve(
                "org/keycloak/keycloak-quarkus-dist/" + version + "/keycloak-quarkus-dist-" + version + ".zip");
    }

    public static void main(String[] args) {
        switch (args.length > 0 ? args[0] : "") {
            case "keycloak-version" -> System.out.println(keycloakVersion());
            case "keycloak-zip" -> System.out.println(keycloakZip(Path.of(args[1])));
            default -> {
                System.err.println("usage: SuiteInfo keycloak-version | keycloak-zip REPOSITORY");
                System.exit(2);
            }
        }
    }
}
