package org.vettedaccess.gateway.quota;

import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.vettedaccess.gateway.config.GatewayConfig;

/** Chooses the quota store from config: memory for one instance, Redis when replicas share counters. */
@ApplicationScoped
public class QuotaStoreProducer {

    @Produces
    @Singleton
    QuotaStore quotaStore(GatewayConfig config, Instance<Redis> redis) {
        return switch (config.quota().store()) {
            case "memory" -> new MemoryQuotaStore();
            // Resolved only here, so a single instance never needs a Redis.
            case "redis" -> new RedisQuotaStore(redis.get());
            default ->
                throw new IllegalStateException("gateway.quota.store must be 'memory' or 'redis', not '"
                        + config.quota().store() + "'");
        };
    }
}
