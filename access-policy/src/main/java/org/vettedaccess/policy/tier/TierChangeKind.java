package org.vettedaccess.policy.tier;

import jakarta.enterprise.context.ApplicationScoped;
import org.vettedaccess.policy.changerequest.ChangeKind;
import org.vettedaccess.policy.changerequest.ChangeRequestEntity;
import org.vettedaccess.policy.changerequest.ChangeRequests;

/** The tiers' side of a tier change request: its proposal is a {@link TierRecord}. */
@ApplicationScoped
class TierChangeKind implements ChangeKind {

    private final TierService tiers;
    private final ChangeRequests requests;

    TierChangeKind(TierService tiers, ChangeRequests requests) {
        this.tiers = tiers;
        this.requests = requests;
    }

    @Override
    public String kind() {
        return ChangeRequests.TIER;
    }

    @Override
    public TierRecord proposed(ChangeRequestEntity request) {
        return requests.proposed(request, TierRecord.class);
    }

    @Override
    public void confirm(ChangeRequestEntity request, String confirmer) {
        tiers.confirm(request, confirmer);
    }
}
