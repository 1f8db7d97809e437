package org.vettedaccess.gateway.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.owner.KeycloakAdminClient;

/**
 * The names of the people behind the subject ids on a staff page (who claimed, reviewed, asked for a release,
 * triaged or reported), read from Keycloak's admin API with the gateway's service account ({@code view-users})
 * and kept for a few minutes (docs/adr/0094-staff-names-from-keycloak.md). Only staff pages call it, and only with
 * ids the services already showed that reader; a regulator's page never does (they see pseudonyms). An id
 * Keycloak does not know, or cannot be asked about now, has no name: the page shows the id.
 */
@ApplicationScoped
public class StaffNames {

    private static final Logger LOG = Logger.getLogger(StaffNames.class);
    private static final int MAX_PER_PAGE = 100;

    private final Function<String, Optional<String>> keycloak;
    private final Cache<String, Optional<String>> names = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    @Inject
    public StaffNames(KeycloakAdminClient keycloak) {
        this(keycloak::displayName);
    }

    /** With another source of display names (a test's). */
    StaffNames(Function<String, Optional<String>> keycloak) {
        this.keycloak = keycloak;
    }

    /** The names of the people behind some subject ids, as a page shows them. */
    public record Names(Map<String, String> byId) {

        public static final Names NONE = new Names(Map.of());

        /** The id's name, or the id itself where there is none. */
        public String of(String id) {
            String name = id == null ? null : byId.get(id);
            return name == null ? (id == null ? "" : id) : name;
        }

        /** Whether the id has a name to show. */
        public boolean has(String id) {
            return id != null && byId.containsKey(id);
        }
    }

    /** The names of these subjects, for the ids that have one (at most 100 distinct ids a page; nulls ignored). */
    public Names of(Collection<String> subjects) {
        Map<String, String> found = new LinkedHashMap<>();
        subjects.stream()
                .filter(StaffNames::isSubjectId)
                .distinct()
                .limit(MAX_PER_PAGE)
                .forEach(subject -> lookUp(subject).ifPresent(name -> found.put(subject, name)));
        return new Names(Map.copyOf(found));
    }

    private Optional<String> lookUp(String subject) {
        Optional<String> known = names.getIfPresent(subject);
        if (known != null) {
            return known;
        }
        try {
            Optional<String> name = keycloak.apply(subject);
            names.put(subject, name);
            return name;
        } catch (RuntimeException e) {
            // Not cached: the next page asks again. The page shows the id meanwhile.
            LOG.debugf("staff name of %s not read: %s", subject, e.toString());
            return Optional.empty();
        }
    }

    /** Keycloak's ids are UUIDs; anything else (a service's name, "system") is shown as it is. */
    static boolean isSubjectId(String value) {
        if (value == null) {
            return false;
        }
        try {
            UUID.fromString(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
