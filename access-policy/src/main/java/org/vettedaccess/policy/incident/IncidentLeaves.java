package org.vettedaccess.policy.incident;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/** Stores the index of a mitigated leaf that went through the outbox (the one-click kill switch). */
@ApplicationScoped
public class IncidentLeaves implements LeafCallback {

    private final IncidentRepository incidents;

    public IncidentLeaves(IncidentRepository incidents) {
        this.incidents = incidents;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("incident.mitigated");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        incidents.eventLeaf(UUID.fromString((String) row.entry().get("reportId")), "MITIGATED", leafIndex);
    }
}
