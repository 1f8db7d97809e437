package org.vettedaccess.policy.grant;

import org.vettedaccess.contracts.policy.KycOutcome;

/**
 * A CDI event: a KYC approval asked for a grant that its tier leaves to a policy admin. The grant hand-off queue
 * observes it (so that this package need not know the queue).
 */
public record AdminGrantAwaited(KycOutcome outcome) {}
