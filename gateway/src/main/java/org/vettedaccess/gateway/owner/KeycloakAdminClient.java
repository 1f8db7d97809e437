package org.vettedaccess.gateway.owner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads users and admin events from Keycloak. Only a timeout and no retry: the watch asks again on its next round
 * within a second, so a retry would only delay the next round.
 */
@ApplicationScoped
public class KeycloakAdminClient {

    private final KeycloakAdminApi api;
    private final OwnerWatchConfig config;

    public KeycloakAdminClient(@RestClient KeycloakAdminApi api, OwnerWatchConfig config) {
        this.api = api;
        this.config = config;
    }

    /** An account change Keycloak recorded: when, and the user it concerns. */
    public record AccountChange(long time, String operation, String userId) {}

    /** Today's and yesterday's changes to users and their role mappings, newest first, at most {@code max}. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public List<AccountChange> recentAccountChanges(String dateFrom, int max) {
        return api
                .adminEvents(
                        config.realm(), List.of("USER", "REALM_ROLE_MAPPING", "CLIENT_ROLE_MAPPING"), dateFrom, max)
                .stream()
                .map(e -> new AccountChange(e.time(), e.operationType(), userOf(e.resourcePath())))
                .filter(change -> change.userId() != null)
                .toList();
    }

    /**
     * Whether the account may still hold API keys: it exists, is enabled and has the researcher role. Empty when
     * Keycloak could not say.
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public Optional<Boolean> mayHoldKeys(String userId) {
        try (Response user = api.user(config.realm(), userId)) {
            if (user.getStatus() == 404) {
                return Optional.of(false);
            }
            if (user.getStatus() != 200) {
                return Optional.empty();
            }
            if (!user.readEntity(KeycloakAdminApi.User.class).enabled()) {
                return Optional.of(false);
            }
        }
        return Optional.of(api.effectiveRealmRoles(config.realm(), userId).stream()
                .anyMatch(role -> role.name().equals(config.role())));
    }

    /**
     * The account's display name: first and last name, else the username. Empty when there is no such account or
     * Keycloak could not say.
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    public Optional<String> displayName(String userId) {
        try (Response user = api.user(config.realm(), userId)) {
            if (user.getStatus() != 200) {
                return Optional.empty();
            }
            return Optional.ofNullable(displayName(user.readEntity(KeycloakAdminApi.User.class)));
        }
    }

    static String displayName(KeycloakAdminApi.User user) {
        String full = String.join(
                        " ",
                        user.firstName() == null ? "" : user.firstName().strip(),
                        user.lastName() == null ? "" : user.lastName().strip())
                .strip();
        if (!full.isEmpty()) {
            return full;
        }
        return user.username() == null || user.username().isBlank() ? null : user.username();
    }

    /** {@code users/<id>} or {@code users/<id>/role-mappings/...}: the id; null for any other resource. */
    static String userOf(String resourcePath) {
        if (resourcePath == null || !resourcePath.startsWith("users/")) {
            return null;
        }
        String rest = resourcePath.substring("users/".length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isBlank() ? null : id;
    }
}
