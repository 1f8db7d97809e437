package org.vettedaccess.policy.grant;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/**
 * Stores the leaf index of a suspension, revocation or expiry once the outbox has delivered it, on the grant's
 * version it records (a later change's leaf is never overwritten by an earlier one's).
 */
@ApplicationScoped
public class GrantLeaves implements LeafCallback {

    private static final Set<String> TYPES = Set.of("grant.suspended", "grant.revoked", "grant.expired");
    private static final Pattern KEY = Pattern.compile("grant:([0-9a-f-]{36}):v(\\d+)");

    private final GrantRepository grants;

    public GrantLeaves(GrantRepository grants) {
        this.grants = grants;
    }

    @Override
    public boolean handles(String type) {
        return TYPES.contains(type);
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        Matcher key = KEY.matcher(row.idempotencyKey());
        if (key.matches()) {
            grants.update(
                    "leafIndex = ?1 where id = ?2 and version = ?3",
                    leafIndex,
                    UUID.fromString(key.group(1)),
                    Integer.parseInt(key.group(2)));
        }
    }
}
