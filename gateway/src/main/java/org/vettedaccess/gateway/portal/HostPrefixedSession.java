package org.vettedaccess.gateway.portal;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.ServerCookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;

/**
 * Over TLS (a direct one, or the edge's as a trusted proxy forwards it under {@code quarkus.http.proxy.*}) the
 * portal's OIDC session cookie travels as {@code __Host-q_session_portal}: Secure, {@code Path=/}, no Domain, so
 * neither a sibling host nor a plain-http page can set or overwrite it. Quarkus OIDC (3.32) names the cookie
 * itself and has no prefix setting, so this filter renames it on the way out and back on the way in, before
 * authentication runs. Over plain http (the local suite) nothing changes.
 */
@ApplicationScoped
public class HostPrefixedSession {

    static final String PREFIX = "__Host-";
    /** Quarkus OIDC's session cookie of the tenant {@code portal}; large sessions add {@code _chunk_N} to it. */
    static final String SESSION = "q_session_portal";
    /** More chunks than a session of a few tokens ever needs (each holds up to 4 KB). */
    private static final int MAX_CHUNKS = 10;
    /** Above authentication (200) and authorization (100), so OIDC reads the cookie under its own name. */
    private static final int PRIORITY = 250;

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isSSL() && request.path().startsWith("/portal")) {
            String header = request.getHeader(HttpHeaders.COOKIE);
            if (header != null) {
                request.headers().set(HttpHeaders.COOKIE, inbound(header));
            }
            context.addHeadersEndHandler(ignored -> outbound(context.response()));
        }
        context.next();
    }

    /**
     * The Cookie header as OIDC should read it: the prefixed session cookie under its plain name, and any
     * unprefixed one dropped, since over TLS only a prefixed cookie can be trusted to come from this host.
     */
    static String inbound(String header) {
        List<String> kept = new ArrayList<>();
        for (String part : header.split(";")) {
            String cookie = part.strip();
            if (cookie.startsWith(PREFIX + SESSION)) {
                kept.add(cookie.substring(PREFIX.length()));
            } else if (!cookie.startsWith(SESSION) && !cookie.isEmpty()) {
                kept.add(cookie);
            }
        }
        return String.join("; ", kept);
    }

    /** Renames the session cookies OIDC set or cleared in this response; the ones the browser sent stay unset. */
    private static void outbound(HttpServerResponse response) {
        List<String> names = new ArrayList<>(List.of(SESSION));
        for (int chunk = 1; chunk <= MAX_CHUNKS; chunk++) {
            names.add(SESSION + "_chunk_" + chunk);
        }
        for (String name : names) {
            Cookie cookie = response.removeCookie(name, false);
            if (cookie == null || (cookie instanceof ServerCookie server && !server.isChanged())) {
                continue;
            }
            Cookie prefixed = Cookie.cookie(PREFIX + name, cookie.getValue())
                    .setPath("/")
                    .setSecure(true)
                    .setHttpOnly(cookie.isHttpOnly());
            if (cookie.getSameSite() != null) {
                prefixed.setSameSite(cookie.getSameSite());
            }
            if (cookie.getMaxAge() != Long.MIN_VALUE) {
                prefixed.setMaxAge(cookie.getMaxAge());
            }
            response.addCookie(prefixed);
        }
    }
}
