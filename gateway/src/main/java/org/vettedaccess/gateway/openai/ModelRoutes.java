package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.context.Context;
import io.quarkus.security.AuthenticationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.impl.RoutingContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.vettedaccess.contracts.policy.Entitlements;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.policy.PolicyClient;

/**
 * The OpenAI-compatible surface, {@code /v1/*}, on plain Vert.x routes: streams pass through chunk by chunk with
 * back-pressure, and a client that goes away is noticed at once.
 */
@ApplicationScoped
public class ModelRoutes {

    private final CallPipeline pipeline;
    private final CallAuthenticator authenticator;
    private final OverLimitGate overLimit;
    private final PolicyClient policy;
    private final OpenAiResponses responses;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** Before the routes registered here (numbered from 0 as they are added), after Quarkus's own (lower) ones. */
    private static final int OVER_LIMIT_ORDER = -1;
    /**
     * A call with an API key, before Quarkus's HTTP security filters (a filter of priority p runs at order -p:
     * authentication 200, REST's auth-failure handler 199, authorization 100) and the portal's session filter (250),
     * after CORS (300). None of them does anything for such a call, and they cost about 8% of its CPU (ADR 0088).
     */
    private static final int API_KEY_ORDER = -260;

    ModelRoutes(
            CallPipeline pipeline,
            CallAuthenticator authenticator,
            OverLimitGate overLimit,
            PolicyClient policy,
            OpenAiResponses responses,
            GatewayConfig config,
            ObjectMapper json) {
        this.pipeline = pipeline;
        this.authenticator = authenticator;
        this.overLimit = overLimit;
        this.policy = policy;
        this.responses = responses;
        this.config = config;
        this.json = json;
    }

    void register(@Observes Router router) {
        BodyHandler body =
                BodyHandler.create(false).setBodyLimit(config.upstream().maxBodyBytes());
        // Before every other /v1 handler (the body handler too): a client over its failed-auth limit costs nothing
        // more than its refusal (ADR 0097).
        router.route("/v1/*").order(OVER_LIMIT_ORDER).handler(overLimit::handle);
        long limit = config.upstream().maxBodyBytes();
        for (Endpoint endpoint : Endpoint.values()) {
            router.post(endpoint.path).order(API_KEY_ORDER).handler(ctx -> apiKeyCall(ctx, endpoint, limit));
        }
        router.get("/v1/models").handler(this::models);
        router.post("/v1/chat/completions").handler(body).handler(ctx -> pipeline.handle(ctx, Endpoint.CHAT));
        router.post("/v1/completions").handler(body).handler(ctx -> pipeline.handle(ctx, Endpoint.COMPLETIONS));
        router.post("/v1/embeddings").handler(body).handler(ctx -> pipeline.handle(ctx, Endpoint.EMBEDDINGS));
        router.post("/v1/responses").handler(body).handler(ctx -> pipeline.handle(ctx, Endpoint.RESPONSES));
        router.get("/v1/models/:model").handler(this::model);
        router.route("/v1/*").failureHandler(this::failed);
    }

    /**
     * A model call with an API key ({@code va-…}), taken before Quarkus's security filters: the over-limit check,
     * the body read as the body handler reads it (413 past {@code limit}), then the pipeline, whose authenticator
     * checks the key. Any other call (a Keycloak token, no credential, {@code Expect: 100-continue}) goes on to the
     * filters and the routes below, which OIDC's verification needs.
     */
    private void apiKeyCall(RoutingContext ctx, Endpoint endpoint, long limit) {
        String credential = CallAuthenticator.bearer(ctx);
        HttpServerRequest request = ctx.request();
        if (credential == null
                || !credential.startsWith("va-")
                || request.headers().contains(HttpHeaders.EXPECT)
                || request.isEnded()) {
            ctx.next();
            return;
        }
        if (overLimit.refused(ctx, credential)) {
            return;
        }
        if (declaredLength(request) > limit) {
            ctx.fail(413);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] tooLarge = {false};
        request.handler(chunk -> {
            if (tooLarge[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                tooLarge[0] = true;
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!tooLarge[0]) {
                ((RoutingContextInternal) ctx).setBody(body);
                pipeline.handle(ctx, endpoint);
            }
        });
        request.resume();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void failed(RoutingContext ctx) {
        if (ctx.failure() instanceof AuthenticationException) {
            // Quarkus reports a bad token here too; the call's own handler answers the same.
            responses.error(ctx, OpenAiError.unauthenticated("The access token is not valid for this gateway."));
        } else if (ctx.statusCode() == 413) {
            // Each route's own cap: a report's (IncidentRoutes, 64 KiB) is not a model call's.
            long limit = ctx.request().path().startsWith("/v1/incidents")
                    ? IncidentRoutes.MAX_BODY_BYTES
                    : config.upstream().maxBodyBytes();
            responses.error(ctx, OpenAiError.bodyTooLarge("The request body is larger than " + limit + " bytes."));
        } else if (ctx.statusCode() == 400) {
            responses.error(ctx, OpenAiError.invalid(null, "The request could not be read."));
        } else {
            responses.internal(
                    ctx,
                    ctx.failure() == null ? new IllegalStateException("status " + ctx.statusCode()) : ctx.failure());
        }
    }

    /** {@code GET /v1/models}: only the models the caller holds a current grant for (and the key allows). */
    private void models(RoutingContext ctx) {
        workers.execute(Context.current().wrap(() -> {
            try {
                ObjectNode list = json.createObjectNode().put("object", "list");
                ArrayNode data = list.putArray("data");
                for (String model : granted(ctx)) {
                    data.add(model(model));
                }
                ctx.response().putHeader("Content-Type", "application/json").end(list.toString());
            } catch (OpenAiError e) {
                responses.error(ctx, e);
            } catch (RuntimeException e) {
                responses.internal(ctx, e);
            }
        }));
    }

    /**
     * {@code GET /v1/models/{id}}: a model the caller holds a current grant for; any other, whether it exists or
     * not, is the same 404, so the catalog's contents are not revealed to someone without access.
     */
    private void model(RoutingContext ctx) {
        String id = ctx.pathParam("model");
        workers.execute(Context.current().wrap(() -> {
            try {
                if (!granted(ctx).contains(id)) {
                    throw OpenAiError.modelNotFound(id);
                }
                ctx.response()
                        .putHeader("Content-Type", "application/json")
                        .end(model(id).toString());
            } catch (OpenAiError e) {
                responses.error(ctx, e);
            } catch (RuntimeException e) {
                responses.internal(ctx, e);
            }
        }));
    }

    /** The models the authenticated caller's current grants allow (only its key's grant, for a grant-bound key). */
    private TreeSet<String> granted(RoutingContext ctx) {
        ApiCaller caller = authenticator.authenticate(ctx);
        Entitlements entitlements;
        try {
            entitlements = policy.entitlements(caller.subject());
        } catch (RuntimeException e) {
            throw OpenAiError.unavailable("policy_unavailable", "Access cannot be checked now.", 2);
        }
        TreeSet<String> models = new TreeSet<>();
        for (Entitlements.Grant grant : entitlements.grants()) {
            if (caller.keyGrantId() == null || caller.keyGrantId().equals(grant.grantId())) {
                models.addAll(grant.models());
            }
        }
        return models;
    }

    private ObjectNode model(String id) {
        return json.createObjectNode()
                .put("id", id)
                .put("object", "model")
                .put("created", 0)
                .put("owned_by", "vetted-access");
    }
}
