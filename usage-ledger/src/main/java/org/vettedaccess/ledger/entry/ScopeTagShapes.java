package org.vettedaccess.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.support.problem.ProblemException;

/** The shape of a usage leaf's {@code scopeTags} (ADR 0046; docs/architecture.md). */
final class ScopeTagShapes {

    private ScopeTagShapes() {}

    /** A usage leaf's scope tags (ADR 0046): their shape only; what they commit to only the key's holder can test. */
    static Map<String, Object> check(JsonNode value, String path) {
        if (!value.isObject()) {
            throw ProblemException.invalidField(path, "must be an object with key and institution and/or country");
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        for (var fields = value.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String fieldPath = path + "." + field.getKey();
            String text = field.getValue().isTextual() ? field.getValue().asText() : null;
            switch (field.getKey()) {
                case "key" -> {
                    if (!ScopeTags.isKeyId(text)) {
                        throw ProblemException.invalidField(fieldPath, "must be a key id: 16 lowercase hex digits");
                    }
                }
                case ScopeTags.INSTITUTION, ScopeTags.COUNTRY -> {
                    if (!ScopeTags.isTag(text)) {
                        throw ProblemException.invalidField(fieldPath, "must be a tag: 22 characters of base64url");
                    }
                }
                default ->
                    throw ProblemException.invalidField(fieldPath, "is not a scope tag (key, institution, country)");
            }
            tags.put(field.getKey(), text);
        }
        if (!tags.containsKey("key")) {
            throw ProblemException.invalidField(path + ".key", "is required");
        }
        if (tags.size() < 2) {
            throw ProblemException.invalidField(path, "must carry an institution or a country tag");
        }
        return tags;
    }
}
