package org.vettedaccess.gateway.openai;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.gateway.quota.QuotaStore;
import org.vettedaccess.gateway.quota.Reservation;
import org.vettedaccess.gateway.upstream.UpstreamRoute;
import org.vettedaccess.gateway.usage.UsageRecord;

/**
 * The facts of one call that {@link Admission} let through: allowed, its quota reserved, its PENDING record
 * durable and a bulkhead slot of its route taken. Nothing in it changes afterwards; the progress of the forward
 * and of a stream lives in {@link Relay}.
 *
 * @param response where the answer goes
 * @param context the request's Vert.x context: its event loop runs the forward and the relay
 * @param call the parsed request
 * @param decision access-policy's allow
 * @param route the model server the decision names
 * @param grant the grant whose quota buckets the reservation was taken from
 * @param reservation what was taken from them
 * @param quota the quota store's answer (for the rate-limit headers)
 * @param maxTokens the output cap per sequence, as forwarded
 * @param record the call's usage record (the ledger entry)
 * @param salt the prompt commitment's salt, base64, shown to the caller
 */
record AdmittedCall(
        HttpServerResponse response,
        Context context,
        ModelCall call,
        Decision decision,
        UpstreamRoute route,
        String grant,
        Reservation reservation,
        QuotaStore.Answer quota,
        int maxTokens,
        UsageRecord record,
        String salt) {

    UUID requestId() {
        return record.requestId();
    }

    UUID grantId() {
        return decision.grantId();
    }

    /** The output tokens reserved: what a call may have made the upstream generate. */
    long outputReserved() {
        return reservation.amounts().outputTokens();
    }
}
