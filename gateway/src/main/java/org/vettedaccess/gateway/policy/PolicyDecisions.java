package org.vettedaccess.gateway.policy;

import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;

/** Where the decision cache gets decisions and changes from: access-policy ({@link PolicyClient}). */
public interface PolicyDecisions {

    Decision decide(DecisionRequest request);

    /** One long poll of the change feed; {@code after} null subscribes from now on. */
    ChangePage changes(Long after, long waitMs);
}
