package org.vettedaccess.gateway.openai;

import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * One model call, as three stages in the order the invariants need:
 *
 * <ol>
 *   <li>{@link Admission}: authenticate, decide, reserve quota, write the durable PENDING record, take a bulkhead
 *       slot. Nothing is forwarded without an allow and a durable record.
 *   <li>{@link Relay}: forward, then pass the whole answer or the stream through; nothing is retried after the
 *       first byte.
 *   <li>{@link Settlement}: settle quota on the actual usage and complete the record for the ledger, exactly once
 *       per forwarded call, whatever happens to the client or the upstream; or withdraw the record and refund the
 *       reservation of a call never forwarded.
 * </ol>
 *
 * The facts a call was admitted with are one immutable {@link AdmittedCall}; only the relay's progress changes.
 * Nothing blocks an event loop.
 */
@Singleton
public class CallPipeline {

    private final Admission admission;
    private final Relay relay;

    CallPipeline(Admission admission, Relay relay) {
        this.admission = admission;
        this.relay = relay;
    }

    /** Runs on the request's event loop. */
    void handle(RoutingContext ctx, Endpoint endpoint) {
        admission.admit(ctx, endpoint, relay::forward);
    }
}
