package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Reads a service's problem+json body, or nothing if it has none. */
final class Problems {

    private Problems() {}

    static Map<?, ?> read(Response response) {
        try {
            return response.readEntity(Map.class);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
