package org.vettedaccess.upstream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How the simulated model server behaves. */
@ConfigMapping(prefix = "sim")
public interface SimulatorConfig {

    /**
     * The model ids the simulator serves; an entry ending in {@code *} serves every id with that prefix. Any other
     * model is a 404 model_not_found.
     */
    @WithDefault("sim-small,sim-medium,sim-frontier")
    List<String> models();

    /** Completion length in tokens (words) when the request sets no max_tokens. */
    @WithDefault("24")
    int defaultReplyTokens();

    /** The largest output cap (max_tokens) a request may set, as a real model's context length bounds it. */
    @WithDefault("65536")
    int maxModelTokens();

    /** Delay before the first streamed token, to model a real server's time to first token. */
    @WithDefault("0ms")
    Duration firstTokenDelay();

    /** Delay between streamed tokens, to model a real server's decoding speed. */
    @WithDefault("0ms")
    Duration interTokenDelay();

    /** If set, every request must carry {@code Authorization: Bearer <this key>}, as a real upstream would. */
    Optional<String> requiredApiKey();

    /** Number of dimensions of the vectors returned by /v1/embeddings. */
    @WithDefault("8")
    int embeddingDimensions();
}
