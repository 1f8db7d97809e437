package org.vettedaccess.kyc.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.UUID;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.OutboxRow;

/**
 * A {@code kyc.decision} leaf was delivered: its index goes on the decision's report (an approval's report may now go
 * to access-policy) and on the application, if this is still the application's latest decision.
 */
@ApplicationScoped
public class DecisionLeaves implements LeafCallback {

    private final DecisionOutboxRepository outbox;
    private final ApplicationRepository applications;
    private final TransactionSynchronizationRegistry registry;
    private final jakarta.enterprise.inject.Instance<DecisionOutbox> decisions;

    public DecisionLeaves(
            DecisionOutboxRepository outbox,
            ApplicationRepository applications,
            TransactionSynchronizationRegistry registry,
            jakarta.enterprise.inject.Instance<DecisionOutbox> decisions) {
        this.outbox = outbox;
        this.applications = applications;
        this.registry = registry;
        this.decisions = decisions;
    }

    @Override
    public boolean handles(String type) {
        return type.equals("kyc.decision");
    }

    @Override
    public void delivered(OutboxRow row, long leafIndex) {
        if (row.ref() == null) {
            return;
        }
        OutboxEntity decision = outbox.findById(UUID.fromString(row.ref()));
        if (decision == null) {
            return;
        }
        decision.ledgerIndex = leafIndex;
        boolean ready = decision.state.equals("PENDING_LEDGER");
        if (ready) {
            decision.state = "PENDING_POLICY";
        }
        if (!outbox.hasLaterDecision(decision)) {
            ApplicationEntity application = applications.findById(decision.applicationId);
            application.kycLeaf = leafIndex;
        }
        if (ready) {
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        decisions.get().wake();
                    }
                }
            });
        }
    }
}
