package org.vettedaccess.gateway.openai;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A per-client limit on failed authentications: a client (by its address, as Quarkus resolves it behind a trusted
 * proxy) that has sent {@code limit} unknown, expired or revoked credentials within a window is refused any further
 * credential that would need a lookup, with a 429 and {@code Retry-After}, before the database is asked. A
 * credential that authenticated on this replica within the last {@code remember-valid} still gets its lookup, so a
 * flood from one address does not lock out a valid caller behind the same address whose key is in use. Counts live in a bounded Caffeine cache, per replica: a flooder
 * spread over replicas gets {@code limit} per replica per window, which still bounds the lookups.
 */
@Singleton
public class FailedAuthentications {

    /** How failed authentications are limited per client. */
    @ConfigMapping(prefix = "gateway.failed-auth")
    public interface Limits {
        /** Failed authentications one client address may make within a window before it is refused. */
        @WithDefault("30")
        int limit();

        /** The window, counted from a client's first failure in it. */
        @WithDefault("1m")
        Duration window();

        /** Client addresses tracked at once (least recently used dropped first). */
        @WithDefault("100000")
        long clients();

        /** How long a credential that authenticated is still looked up for a client over its limit. */
        @WithDefault("10m")
        Duration rememberValid();
    }

    private record Window(long startNanos, AtomicInteger failures) {}

    private final Limits limits;
    private final Cache<String, Window> windows;
    private final Cache<String, Boolean> valid;

    public FailedAuthentications(Limits limits) {
        this.limits = limits;
        this.windows = Caffeine.newBuilder()
                .maximumSize(limits.clients())
                .expireAfterWrite(limits.window())
                .build();
        this.valid = Caffeine.newBuilder()
                .maximumSize(limits.clients())
                .expireAfterWrite(limits.rememberValid())
                .build();
    }

    /** Refuses with a 429 if the client used up its failures in the current window (unless the credential is known). */
    void checkAllowed(String client, String credential) {
        long seconds = refusedForSeconds(client, credential);
        if (seconds > 0) {
            throw refusal(seconds);
        }
    }

    /**
     * How many seconds the client is refused for (its window's rest, at least 1), or 0 if the credential may be
     * looked up. Allocates nothing for a client under its limit; never throws.
     */
    long refusedForSeconds(String client, String credential) {
        Window window = windows.getIfPresent(client);
        if (window == null
                || window.failures().get() < limits.limit()
                || valid.getIfPresent(digest(credential)) != null) {
            return 0;
        }
        long left = limits.window().toNanos() - (System.nanoTime() - window.startNanos());
        return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    }

    /** The 429 for a client refused for {@code seconds} more. */
    static OpenAiError refusal(long seconds) {
        return OpenAiError.tooManyFailures(
                "Too many unknown, expired or revoked credentials from this client; try again in " + seconds + " s.",
                seconds);
    }

    /** Remembers a credential that authenticated (by its SHA-256: the secret itself is never kept). */
    void succeeded(String credential) {
        valid.put(digest(credential), Boolean.TRUE);
    }

    private static String digest(String credential) {
        try {
            return Base64.getEncoder()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Counts one failed authentication of the client. */
    void failed(String client) {
        windows.get(client, c -> new Window(System.nanoTime(), new AtomicInteger()))
                .failures()
                .incrementAndGet();
    }
}
