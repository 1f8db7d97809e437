package org.vettedaccess.e2e.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * Issue 18's leftover: behind the TLS edge the portal's session cookie is {@code Secure} and
 * {@code __Host-}-prefixed. A gateway replica runs with the Kubernetes proxy settings (forwarded headers from a
 * trusted proxy, here 127.0.0.1), and a real sign-in through Keycloak's login form arrives as the edge forwards it
 * ({@code X-Forwarded-Proto: https}); over plain http the first gateway keeps the plain cookie and still signs in.
 */
@ExtendWith(RunningSuite.class)
class SecureSessionCookieTest {

    private static final String REPLICA = "gateway-tls-edge";
    private static final HttpClient GATEWAY =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static String edge;

    @BeforeAll
    static void startAReplicaBehindTheEdge(LocalSuite suite, Keycloak keycloak) throws Exception {
        int http = SuitePorts.freePort();
        suite.startGatewayReplica(
                REPLICA,
                http,
                SuitePorts.freePort(),
                Map.of(
                        "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true",
                        "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true",
                        "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1"));
        edge = "http://localhost:" + http;
        // The portal's public address as the edge presents it (https, so no port: the forwarded scheme's default);
        // a lab registers its own in the realm.
        keycloak.allowRedirect("portal", "https://localhost/*");
    }

    @AfterAll
    static void stopTheReplica(LocalSuite suite) {
        suite.stop(REPLICA);
    }

    @Test
    void behindTheTlsEdgeTheSessionCookieIsSecureAndHostPrefixed() throws Exception {
        List<String> setCookies = signIn(edge, true);
        // The session cookie, or its chunks when the tokens do not fit in one (q_session_portal_chunk_N).
        List<String> session = setCookies.stream()
                .filter(c -> c.startsWith("__Host-q_session_portal"))
                .toList();
        assertFalse(session.isEmpty(), "no __Host- session cookie: " + setCookies);
        for (String cookie : session) {
            String attributes = cookie.toLowerCase();
            assertTrue(attributes.contains("; secure"), cookie);
            assertTrue(attributes.contains("; path=/;") || attributes.endsWith("; path=/"), cookie);
            assertFalse(attributes.contains("domain="), cookie);
            assertTrue(attributes.contains("httponly"), cookie);
        }
        assertTrue(setCookies.stream().noneMatch(c -> c.startsWith("q_session_portal")), setCookies.toString());

        // The prefixed cookies open the portal; the same values under the plain names (as a sibling host could set
        // them) do not, over TLS.
        String prefixed = pairs(session);
        HttpResponse<String> in = get(edge + "/portal", prefixed, true);
        assertEquals(200, in.statusCode(), in.body());
        assertFalse(in.body().contains("You are signed out"), in.body());
        HttpResponse<String> plain = get(edge + "/portal", prefixed.replace("__Host-", ""), true);
        assertTrue(
                plain.statusCode() == 302 || plain.statusCode() == 401, "unprefixed over TLS: " + plain.statusCode());
    }

    @Test
    void overPlainHttpThePortalSignsInWithThePlainCookie(LocalSuite suite) throws Exception {
        List<String> setCookies = signIn(suite.serviceUrl("gateway"), false);
        List<String> session = setCookies.stream()
                .filter(c -> c.startsWith("q_session_portal"))
                .toList();
        assertFalse(session.isEmpty(), "no session cookie: " + setCookies);
        session.forEach(cookie -> assertFalse(cookie.toLowerCase().contains("; secure"), cookie));
        assertTrue(setCookies.stream().noneMatch(c -> c.startsWith("__Host-")), setCookies.toString());
        // And it signs in: the portal opens with it over plain http.
        HttpResponse<String> in = get(suite.serviceUrl("gateway") + "/portal", pairs(session), false);
        assertEquals(200, in.statusCode(), in.body());
    }

    /**
     * Signs alice in through Keycloak's login form, each gateway request forwarded as from the TLS edge when
     * {@code tls}; returns the Set-Cookie headers of the gateway's answer to the redirect back from Keycloak.
     */
    private static List<String> signIn(String gateway, boolean tls) throws Exception {
        HttpResponse<String> start = get(gateway + "/portal", null, tls);
        assertEquals(302, start.statusCode(), start.body());
        String authorize = location(start);
        assertTrue(
                authorize.contains(
                        "redirect_uri=" + URLEncoder.encode(tls ? "https://" : "http://", StandardCharsets.UTF_8)),
                "redirect_uri follows the edge's scheme: " + authorize);
        String stateCookies = cookieHeader(start);

        // Keycloak's own cookies by hand: java.net's CookieManager never sends the Secure cookies Keycloak sets on
        // http://localhost (browsers do, localhost being a secure context).
        Map<String, String> keycloakCookies = new java.util.LinkedHashMap<>();
        HttpResponse<String> form = GATEWAY.send(
                HttpRequest.newBuilder(URI.create(authorize)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, form.statusCode(), form.body());
        remember(form, keycloakCookies);
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"")
                .matcher(form.body());
        assertTrue(action.find(), "no login form: " + form.body());
        String post = action.group(1).replace("&amp;", "&");
        HttpResponse<String> signedIn = GATEWAY.send(
                HttpRequest.newBuilder(URI.create(post))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "Cookie",
                                String.join(
                                        "; ",
                                        keycloakCookies.entrySet().stream()
                                                .map(e -> e.getKey() + "=" + e.getValue())
                                                .toList()))
                        .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-demo"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(302, signedIn.statusCode(), "Keycloak's answer to the login: " + signedIn.body());
        URI back = URI.create(location(signedIn));
        assertEquals(tls ? "https" : "http", back.getScheme(), back.toString());
        // The edge ends TLS and forwards to the gateway over plain http.
        String callback = gateway + back.getRawPath() + "?" + back.getRawQuery();
        HttpResponse<String> done = get(callback, stateCookies, tls);
        assertEquals(302, done.statusCode(), "the gateway's answer to the code: " + done.body());
        return done.headers().allValues("set-cookie");
    }

    private static HttpResponse<String> get(String url, String cookies, boolean tls)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (cookies != null && !cookies.isEmpty()) {
            request.header("Cookie", cookies);
        }
        if (tls) {
            request.header("X-Forwarded-Proto", "https");
        }
        return GATEWAY.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<?> response) {
        Optional<String> location = response.headers().firstValue("location");
        assertNotNull(location.orElse(null), "no Location header");
        return location.get();
    }

    private static void remember(HttpResponse<?> response, Map<String, String> jar) {
        for (String setCookie : response.headers().allValues("set-cookie")) {
            String pair =
                    setCookie.substring(0, setCookie.indexOf(';') < 0 ? setCookie.length() : setCookie.indexOf(';'));
            jar.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
    }

    /** The cookies a response set, as a Cookie request header. */
    private static String cookieHeader(HttpResponse<?> response) {
        return pairs(response.headers().allValues("set-cookie"));
    }

    /** Set-Cookie values as a Cookie request header (name=value pairs). */
    private static String pairs(List<String> setCookies) {
        List<String> pairs = new ArrayList<>();
        for (String setCookie : setCookies) {
            pairs.add(setCookie.substring(0, setCookie.indexOf(';') < 0 ? setCookie.length() : setCookie.indexOf(';')));
        }
        return String.join("; ", pairs);
    }
}
