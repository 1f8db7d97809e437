package org.vettedaccess.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The set-up calls the benchmarks make against a running suite: tokens from Keycloak, and JSON requests. */
final class SuiteCalls {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SuiteCalls() {}

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
}
