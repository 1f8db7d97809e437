package org.vettedaccess.policy.tripwire;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/** Stores a trip's leaf index once the outbox has delivered its {@code tripwire.tripped} leaf. */
@ApplicationScoped
public class TripLeaves implements LeafCallback {

    private final TripRepository trips;

    public TripLeaves(TripRepository trips) {
        this.trips = trips;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("tripwire.tripped");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        trips.update("leafIndex = ?1 where id = ?2", leafIndex, UUID.fromString((String)
                row.entry().get("tripId")));
    }
}
