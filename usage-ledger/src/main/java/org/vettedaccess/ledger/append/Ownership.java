package org.vettedaccess.ledger.append;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vettedaccess.ledger.config.AppendersConfig;
import org.vettedaccess.ledger.entry.EntryType;

/**
 * Which entry types each appender owns: a service appends only its own kinds of entries, so the internet-facing
 * gateway's credentials cannot forge a KYC decision, a grant or a catalog change. Nobody appends the types the
 * ledger writes itself (disclosures and their reads); configuring one is refused at start.
 */
@ApplicationScoped
public class Ownership {

    private final Map<String, Set<EntryType>> owned;

    @Inject
    public Ownership(AppendersConfig config) {
        this(config.owns());
    }

    /** From client ids to type names or families ("grant.*"); an unknown name fails, so a typo is not silent. */
    public Ownership(Map<String, List<String>> owns) {
        Map<String, Set<EntryType>> owned = new HashMap<>();
        owns.forEach((appender, patterns) -> {
            Set<EntryType> types = EnumSet.noneOf(EntryType.class);
            for (String pattern : patterns) {
                List<EntryType> matched = Arrays.stream(EntryType.values())
                        .filter(type -> matches(pattern.strip(), type.wireName()))
                        .toList();
                if (matched.isEmpty()) {
                    throw new IllegalArgumentException(
                            "ledger.appenders.owns." + appender + ": no entry type is '" + pattern + "'");
                }
                for (EntryType type : matched) {
                    if (type.ledgerOnly()) {
                        throw new IllegalArgumentException("ledger.appenders.owns." + appender + ": '" + type.wireName()
                                + "' is written by the ledger alone, never through appends");
                    }
                    types.add(type);
                }
            }
            owned.put(appender, Set.copyOf(types));
        });
        this.owned = Map.copyOf(owned);
    }

    /** True if {@code appender} (a client id, or null for a token without one) may append {@code type}. */
    public boolean owns(String appender, EntryType type) {
        return appender != null && owned.getOrDefault(appender, Set.of()).contains(type);
    }

    /** The types {@code appender} owns (empty for anyone not configured). */
    public Set<EntryType> ownedBy(String appender) {
        return appender == null ? Set.of() : owned.getOrDefault(appender, Set.of());
    }

    private static boolean matches(String pattern, String type) {
        return pattern.endsWith(".*")
                ? type.startsWith(pattern.substring(0, pattern.length() - 1))
                : pattern.equals(type);
    }
}
