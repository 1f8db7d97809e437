package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What the suite benchmarks share: their {@code --name value} options, starting the real suite on free ports, and
 * the set-up calls they make against it (tokens from Keycloak, JSON requests).
 */
final class SuiteCalls {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SuiteCalls() {}

    /** {@code --name value} pairs. */
    static java.util.Map<String, String> options(String[] args) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }

    /** Prints the machine and starts the whole suite on free ports with fresh data (from the script's options). */
    static org.vettedaccess.suite.LocalSuite startSuite(java.util.Map<String, String> options) throws Exception {
        org.vettedaccess.suite.LocalSuite.Settings settings = org.vettedaccess.suite.LocalSuite.Settings.of(
                java.nio.file.Path.of(options.getOrDefault("root", ".")),
                java.nio.file.Path.of(options.getOrDefault("state", "bench/target/suite")),
                java.nio.file.Path.of(options.get("keycloak-zip")),
                org.vettedaccess.suite.SuitePorts.free(),
                true);
        System.out.printf(
                "machine: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        return org.vettedaccess.suite.LocalSuite.start(settings, line -> System.out.println("  " + line));
    }

    /** An access token for the given form (password or client-credentials grant). */
    static String token(String url, String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString())
                .body()
                .replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
    }

    /** A JSON request with a bearer token; fails on anything but 2xx. */
    static String send(String url, String method, String token, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /**
     * A catalog or tier change as a lab makes it: paula's PUT, and, when it loosens access (a new model, higher
     * limits: answered 202 with a pending change request), pete's confirmation as the second policy admin.
     */
    static String policyChange(String policy, String path, String realm, String json) throws Exception {
        String paula = token(realm, "grant_type=password&client_id=cli&username=paula&password=paula-demo");
        String answer = send(policy + path, "PUT", paula, json);
        if (!answer.contains("\"status\":\"PENDING\"")) {
            return answer;
        }
        java.util.regex.Matcher id =
                java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(answer);
        if (!id.find()) {
            throw new IllegalStateException("no change request id in " + answer);
        }
        String pete = token(realm, "grant_type=password&client_id=cli&username=pete&password=pete-demo");
        return send(policy + "/api/v1/change-requests/" + id.group(1) + "/confirm", "POST", pete, "");
    }
}
