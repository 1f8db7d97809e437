package org.vettedaccess.policy.grant;

import java.time.Instant;
import java.util.List;

/**
 * A policy admin's grant.
 *
 * @param subject the researcher's subject id
 * @param models the models it covers
 * @param purpose the research purpose it is bound to
 * @param tier the tier whose limits apply
 * @param validFrom when it starts (default: now)
 * @param validUntil when it ends; at most the tier's maximum duration after the start
 */
public record GrantRequest(
        String subject, List<String> models, String purpose, Integer tier, Instant validFrom, Instant validUntil) {}
