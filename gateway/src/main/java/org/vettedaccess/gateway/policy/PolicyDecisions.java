package org.vettedaccess.gateway.policy;

import java.util.UUID;

/** Where the decision cache gets decisions and changes from: access-policy ({@link PolicyClient}). */
public interface PolicyDecisions {

    Decision decide(String subject, String model, String endpoint, int maxTokens, UUID grantId);

    PolicyClient.ChangePage changes(Long after, long waitMs);
}
