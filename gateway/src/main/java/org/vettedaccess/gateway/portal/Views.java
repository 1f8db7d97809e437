package org.vettedaccess.gateway.portal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Turns a service's JSON answer into the record a page's template reads (its view model). Fields the page does
 * not show are ignored, so a service may add fields without breaking the portal.
 */
@ApplicationScoped
public class Views {

    private final ObjectMapper json;

    public Views(ObjectMapper json) {
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public <T> T as(Object answer, Class<T> type) {
        return json.convertValue(answer, type);
    }

    public <T> List<T> list(List<?> answers, Class<T> type) {
        return answers.stream().map(answer -> as(answer, type)).toList();
    }
}
