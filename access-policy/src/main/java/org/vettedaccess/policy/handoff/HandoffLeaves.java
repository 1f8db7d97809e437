package org.vettedaccess.policy.handoff;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/** Stores a hand-off refusal's leaf index once the outbox has delivered its {@code handoff.refused} leaf. */
@ApplicationScoped
public class HandoffLeaves implements LeafCallback {

    static final String TYPE = "handoff.refused";
    private static final Pattern KEY = Pattern.compile("handoff:([0-9a-f-]{36}):refused");

    private final HandoffRepository handoffs;

    public HandoffLeaves(HandoffRepository handoffs) {
        this.handoffs = handoffs;
    }

    /** The refusal's idempotency key: one per hand-off (a hand-off is refused once). */
    static String key(UUID handoff) {
        return "handoff:" + handoff + ":refused";
    }

    @Override
    public boolean handles(String type) {
        return TYPE.equals(type);
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        Matcher key = KEY.matcher(row.idempotencyKey());
        if (key.matches()) {
            handoffs.update("leafIndex = ?1 where id = ?2", leafIndex, UUID.fromString(key.group(1)));
        }
    }
}
