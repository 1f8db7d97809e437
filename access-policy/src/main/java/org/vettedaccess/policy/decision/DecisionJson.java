package org.vettedaccess.policy.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import org.vettedaccess.contracts.policy.Decision;

/**
 * A decision's JSON leaves its null fields out (a deny names no grant, limits or route), as it always has; the
 * contract record carries no Jackson annotation, so the rule is added here, for {@link Decision} alone.
 */
@Singleton
public class DecisionJson implements ObjectMapperCustomizer {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private interface WithoutNulls {}

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.addMixIn(Decision.class, WithoutNulls.class);
    }
}
