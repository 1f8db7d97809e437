package org.vettedaccess.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** How the gateway forwards, limits and records model calls. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The upstream model servers, by the route name the catalog gives each model. */
    Map<String, Route> routes();

    /** Limits on requests and the upstream calls' timeouts and breakers. */
    Upstream upstream();

    /** Where quota counters live. */
    Quota quota();

    /** API keys. */
    Keys keys();

    /** The durable usage outbox and its relay to the ledger. */
    Outbox outbox();

    /** How the gateway watches that the usage-ledger answers. */
    Ledger ledger();

    /** One OpenAI-compatible upstream (vLLM, Ollama, OpenAI, or the simulator). */
    interface Route {
        /** Its base URL including {@code /v1}, e.g. {@code http://vllm:8000/v1}. */
        URI baseUrl();

        /** The bearer key it expects, from a secret; the caller's own credential is never forwarded. */
        Optional<String> apiKey();

        /** The most calls in flight to this route at once (its bulkhead); more are refused with a 503. */
        @WithDefault("512")
        int maxConcurrent();

        /** Its {@code gen_ai.provider.name} in the GenAI metrics (the conventions' value, e.g. {@code openai}). */
        @WithDefault("openai")
        String provider();
    }

    /** Upstream call behaviour, the same for every route; each route has its own breaker and bulkhead. */
    interface Upstream {
        /** Time to open a connection to the upstream. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Time from sending the request to the first byte of the answer. */
        @WithDefault("60s")
        Duration firstByteTimeout();

        /** The longest silence between two chunks of a streamed answer. */
        @WithDefault("30s")
        Duration idleTimeout();

        /** Retries before the first byte, only for failures where the upstream cannot have started work. */
        @WithDefault("2")
        int maxRetries();

        /** Calls the breaker looks at before it may open. */
        @WithDefault("10")
        int breakerVolume();

        /** The share of failures among those calls that opens the breaker. */
        @WithDefault("0.5")
        double breakerFailureRatio();

        /** How long an open breaker refuses calls before letting a trial call through. */
        @WithDefault("5s")
        Duration breakerDelay();

        /** The largest request body accepted on /v1, in bytes. */
        @WithDefault("1048576")
        long maxBodyBytes();
    }

    /** Quota counter storage. */
    interface Quota {
        /** {@code memory} for a single instance, {@code redis} when replicas share counters. */
        @WithDefault("memory")
        String store();
    }

    /** API key behaviour. */
    interface Keys {
        /** How long a rotated key keeps working after its replacement is issued. */
        @WithDefault("24h")
        Duration rotationGrace();

        /** How long a resolved key is reused before it is looked up again (bounds revocation delay). */
        @WithDefault("500ms")
        Duration cacheTtl();

        /** The most valid keys kept resolved; beyond it the least used go first (random secrets never count). */
        @WithDefault("50000")
        long cacheSize();

        /** How long a secret that names no current key is remembered as such (the negative cache). */
        @WithDefault("1s")
        Duration unknownTtl();

        /** The most unknown secrets remembered; a flood of random ones pushes out only each other. */
        @WithDefault("100000")
        long unknownCacheSize();
    }

    /** Usage outbox. */
    interface Outbox {
        /** How often the relay looks for records to deliver. */
        @WithDefault("200ms")
        Duration relayInterval();

        /** Records delivered to the ledger in one append. */
        @WithDefault("200")
        int batchSize();

        /** A record still pending after this long belongs to a crashed call; it is closed as interrupted. */
        @WithDefault("15m")
        Duration abandonAfter();

        /** The most calls' records written in one transaction (group commit of PENDING records and completions). */
        @WithDefault("256")
        int writeBatchSize();
    }

    /** The ledger probe; its per-request timeouts are the {@code ledger-probe} REST client's. */
    interface Ledger {
        /** How often the ledger is probed (each probe on its own virtual thread). */
        @WithDefault("250ms")
        Duration probeInterval();

        /** With no successful probe begun within this, fail-closed tiers refuse calls (keep it under 1 s). */
        @WithDefault("900ms")
        Duration staleAfter();
    }

    /** The portal served under /portal. */
    Portal portal();

    /** What the portal shows that it cannot ask a service for. */
    interface Portal {
        /** The gateway's public address, shown in the OpenAI SDK snippet beside a new key. */
        @WithDefault("http://localhost:8080")
        String publicUrl();

        /** The version of the lab's terms the application form accepts (kyc-service's {@code kyc.terms-version}). */
        @WithDefault("2026-01")
        String termsVersion();
    }
}
