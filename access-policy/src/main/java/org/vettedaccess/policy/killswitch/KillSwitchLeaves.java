package org.vettedaccess.policy.killswitch;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/** Stores an engaged kill switch's leaf index once the outbox has delivered its leaf. */
@ApplicationScoped
public class KillSwitchLeaves implements LeafCallback {

    private final KillSwitchRepository switches;

    public KillSwitchLeaves(KillSwitchRepository switches) {
        this.switches = switches;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("killswitch.engaged");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        switches.update("engagedLeaf = ?1 where id = ?2", leafIndex, UUID.fromString((String)
                row.entry().get("switchId")));
    }
}
