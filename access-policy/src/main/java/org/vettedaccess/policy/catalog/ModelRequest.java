package org.vettedaccess.policy.catalog;

import java.util.List;
import org.vettedaccess.contracts.policy.ModelRecord.Disclosure;

/**
 * What a policy admin sets on a model; the risk class is derived, never set.
 *
 * @param disclosures the lab's published documents about the model (null: none)
 * @param parameterFamily CHAT or REASONING (null: CHAT)
 * @param responsesApi NATIVE or TRANSLATED (null: TRANSLATED)
 */
public record ModelRequest(
        String upstreamRoute,
        Double trainingFlop,
        List<String> evalFlags,
        Integer requiredTier,
        String status,
        List<Disclosure> disclosures,
        String parameterFamily,
        String responsesApi) {}
