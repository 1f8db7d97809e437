package org.vettedaccess.policy.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import org.vettedaccess.contracts.policy.ModelRecord;
import org.vettedaccess.policy.changerequest.ChangeKind;
import org.vettedaccess.policy.changerequest.ChangeRequestEntity;
import org.vettedaccess.policy.changerequest.ChangeRequests;

/** The catalog's side of a model change request: its proposal is a {@link ModelRecord}. */
@ApplicationScoped
class ModelChangeKind implements ChangeKind {

    private final CatalogService catalog;
    private final ChangeRequests requests;

    ModelChangeKind(CatalogService catalog, ChangeRequests requests) {
        this.catalog = catalog;
        this.requests = requests;
    }

    @Override
    public String kind() {
        return ChangeRequests.MODEL;
    }

    @Override
    public ModelRecord proposed(ChangeRequestEntity request) {
        return requests.proposed(request, ModelRecord.class);
    }

    @Override
    public void confirm(ChangeRequestEntity request, String confirmer) {
        catalog.confirm(request, confirmer);
    }
}
