package org.vettedaccess.contracts.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One page of access-policy's change feed ({@code GET /api/v1/changes?after=&waitMs=}), in commit order.
 *
 * @param changes the changes after the sequence asked for
 * @param next where to continue: the highest sequence on this page, or the one asked for
 */
public record ChangePage(List<Change> changes, long next) {

    /**
     * One change.
     *
     * @param kind e.g. {@code grant.suspended}, {@code killswitch.engaged}, {@code catalog.changed}
     * @param grantId the grant it concerns, if one
     * @param subject the person it concerns, for per-person changes
     * @param scope a kill switch's scope, as text
     */
    public record Change(long seq, String kind, UUID grantId, String subject, String scope, Instant at) {

        /**
         * The kinds that only widen access: a grant issued or reinstated, a kill switch released, a
         * catalog or tier change confirmed by a second admin. Catalog and tier changes that narrow access are
         * {@code catalog.changed} and {@code tier.changed}.
         */
        public static final Set<String> PERMISSIVE_KINDS =
                Set.of("grant.issued", "grant.changed", "killswitch.released", "catalog.loosened", "tier.loosened");

        /**
         * Whether this change may narrow access. Any kind not known to be permissive is restrictive, so a new kind
         * errs towards stopping calls.
         */
        public boolean restrictive() {
            return kind == null || !PERMISSIVE_KINDS.contains(kind);
        }
    }
}
