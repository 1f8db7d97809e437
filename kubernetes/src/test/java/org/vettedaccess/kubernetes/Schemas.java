package org.vettedaccess.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The schema of each kind the manifests use, from offline sources vendored in {@code kubernetes/schemas/} (versions
 * in its README): Kubernetes' own OpenAPI definitions for the built-in kinds, and the operators' and Gateway API's
 * CRDs for the others. Made strict as kubeconform's {@code -strict} does (a field a schema does not name is an
 * error, unless the schema says unknown fields are kept), and checked with a JSON Schema validator.
 */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

    private final Map<String, JsonSchema> byKind = new HashMap<>();

    private Schemas() {}

    static Schemas load(Path directory) throws IOException {
        Schemas schemas = new Schemas();
        ObjectNode strict = (ObjectNode)
                JSON.readTree(directory.resolve("kubernetes-definitions.json").toFile())
                        .path("definitions")
                        .deepCopy();
        // The StatefulSet and PersistentVolumeClaim definitions, written for this project (README.md): they refer to
        // the vendored ones (pod template, claim spec, label selector) and add nothing to them.
        JSON.readTree(directory.resolve("statefulset-definitions.json").toFile())
                .path("definitions")
                .fields()
                .forEachRemaining(entry -> {
                    if (strict.has(entry.getKey())) {
                        throw new IllegalStateException(entry.getKey() + " is defined twice in kubernetes/schemas/");
                    }
                    strict.set(entry.getKey(), entry.getValue());
                });
        // Kubernetes accepts numbers for these two string types (ports by number or name; quantities like cpu: 1).
        strict.set("io.k8s.apimachinery.pkg.util.intstr.IntOrString", types("string", "integer"));
        strict.set("io.k8s.apimachinery.pkg.api.resource.Quantity", types("string", "number"));
        strict.elements().forEachRemaining(Schemas::strictify);
        for (Iterator<Map.Entry<String, JsonNode>> it = strict.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                ObjectNode root = entry.getValue().deepCopy();
                root.set("definitions", strict);
                schemas.byKind.put(
                        key(
                                gvk.path("group").asText(),
                                gvk.path("version").asText(),
                                gvk.path("kind").asText()),
                        FACTORY.getSchema(root));
            }
        }
        try (Stream<Path> files = Files.list(directory.resolve("crds"))) {
            for (Path file : files.sorted().toList()) {
                for (Map<String, Object> crd : Kubectl.load(file)) {
                    JsonNode spec = JSON.valueToTree(crd).path("spec");
                    for (JsonNode version : spec.path("versions")) {
                        ObjectNode schema =
                                version.path("schema").path("openAPIV3Schema").deepCopy();
                        // The API server adds these to every custom resource; some generated CRDs leave them out.
                        ObjectNode properties = schema.with("properties");
                        properties.putIfAbsent("apiVersion", types("string"));
                        properties.putIfAbsent("kind", types("string"));
                        properties.putIfAbsent("metadata", types("object"));
                        strictify(schema);
                        schemas.byKind.put(
                                key(
                                        spec.path("group").asText(),
                                        version.path("name").asText(),
                                        spec.path("names").path("kind").asText()),
                                FACTORY.getSchema(schema));
                    }
                }
            }
        }
        return schemas;
    }

    Set<String> kinds() {
        return byKind.keySet();
    }

    /** What is wrong with {@code object} by its kind's schema; empty if valid; one line if it has no schema. */
    List<String> problems(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        JsonSchema schema = byKind.get(key(group, version, String.valueOf(object.get("kind"))));
        if (schema == null) {
            return List.of("no schema for " + apiVersion + " " + object.get("kind") + " in kubernetes/schemas/");
        }
        Set<ValidationMessage> messages = schema.validate(JSON.valueToTree(object));
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static String key(String group, String version, String kind) {
        return (group.isEmpty() ? "" : group + "/") + version + "/" + kind;
    }

    private static ObjectNode types(String... types) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ArrayNode array = node.putArray("type");
        for (String type : types) {
            array.add(type);
        }
        return node;
    }

    /**
     * Every object schema that names its properties refuses others (unless it keeps unknown fields or already says
     * what others may be); OpenAPI's {@code nullable} becomes a null type, and {@code x-kubernetes-int-or-string}
     * a string-or-integer type.
     */
    private static void strictify(JsonNode node) {
        if (node instanceof ObjectNode schema) {
            if (schema.has("properties")
                    && !schema.has("additionalProperties")
                    && !schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                    && !schema.path("x-kubernetes-embedded-resource").asBoolean()) {
                schema.put("additionalProperties", false);
            }
            if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
                schema.remove("anyOf");
                schema.set("type", types("string", "integer").get("type"));
            }
            if (schema.path("nullable").asBoolean() && schema.path("type").isTextual()) {
                schema.set("type", types(schema.path("type").asText(), "null").get("type"));
            }
            // Only into what holds schemas: a property may well be called "type" or "properties".
            for (String maps : List.of("properties", "patternProperties", "definitions")) {
                schema.path(maps).elements().forEachRemaining(Schemas::strictify);
            }
            for (String single : List.of("items", "additionalProperties", "not")) {
                strictify(schema.get(single));
            }
            for (String list : List.of("allOf", "anyOf", "oneOf")) {
                schema.path(list).elements().forEachRemaining(Schemas::strictify);
            }
        }
    }
}
