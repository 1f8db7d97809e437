package org.vettedaccess.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The part of kustomize's semantics this project's manifests use, in Java, so the build renders every overlay
 * without a kustomize binary: {@code resources} (files and directories, recursively), {@code namespace},
 * {@code images} ({@code newName}, {@code newTag}) and {@code patches} by path (strategic merge: maps merge,
 * lists of named items merge by name, other lists are replaced). Any other field fails the render, so a
 * feature the renderer does not know cannot pass unchecked.
 */
final class Kustomize {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KNOWN =
            Set.of("apiVersion", "kind", "resources", "namespace", "images", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "PersistentVolume",
            "StorageClass");

    private Kustomize() {}

    static List<Map<String, Object>> render(Path directory) throws IOException {
        Map<String, Object> kustomization =
                load(directory.resolve("kustomization.yaml")).get(0);
        for (String key : kustomization.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException(directory + ": kustomization field '" + key + "' is not supported");
            }
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = directory.resolve((String) resource).normalize();
            objects.addAll(Files.isDirectory(path) ? render(path) : load(path));
        }
        for (Object patch : list(kustomization.get("patches"))) {
            for (Map<String, Object> change : load(directory.resolve((String) ((Map<?, ?>) patch).get("path")))) {
                Map<String, Object> target = objects.stream()
                        .filter(o -> Objects.equals(o.get("kind"), change.get("kind"))
                                && Objects.equals(name(o), name(change)))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "patch for " + change.get("kind") + "/" + name(change) + " matches nothing"));
                merge(target, change);
            }
        }
        for (Object image : list(kustomization.get("images"))) {
            Map<?, ?> rule = (Map<?, ?>) image;
            objects.forEach(o -> containers(o).forEach(c -> retag(c, rule)));
        }
        Object namespace = kustomization.get("namespace");
        if (namespace != null) {
            for (Map<String, Object> object : objects) {
                if (!CLUSTER_SCOPED.contains(object.get("kind"))) {
                    metadata(object).put("namespace", namespace);
                }
            }
        }
        return objects;
    }

    static List<Map<String, Object>> load(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> docs =
                YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(file.toFile())) {
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    }

    static String name(Map<String, Object> object) {
        return (String) metadata(object).get("name");
    }

    /** The containers of a workload's pod template. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        Object spec = object.get("spec");
        if (!(spec instanceof Map<?, ?> specMap)
                || !(specMap.get("template") instanceof Map<?, ?> template)
                || !(template.get("spec") instanceof Map<?, ?> podSpec)) {
            return List.of();
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (String field : List.of("initContainers", "containers")) {
            if (podSpec.get(field) instanceof List<?> containers) {
                containers.forEach(c -> all.add((Map<String, Object>) c));
            }
        }
        return all;
    }

    private static void retag(Map<String, Object> container, Map<?, ?> rule) {
        String image = (String) container.get("image");
        int tag = image.lastIndexOf(':') > image.lastIndexOf('/') ? image.lastIndexOf(':') : image.length();
        if (!image.substring(0, tag).equals(rule.get("name"))) {
            return;
        }
        String name = rule.get("newName") != null ? (String) rule.get("newName") : image.substring(0, tag);
        String newTag = rule.get("newTag") != null ? ":" + rule.get("newTag") : image.substring(tag);
        container.put("image", name + newTag);
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> entry : patch.entrySet()) {
            Object current = target.get(entry.getKey());
            Object change = entry.getValue();
            if (current instanceof Map<?, ?> currentMap && change instanceof Map<?, ?> changeMap) {
                merge((Map<String, Object>) currentMap, (Map<String, Object>) changeMap);
            } else if (current instanceof List<?> currentList
                    && change instanceof List<?> changeList
                    && named(currentList)
                    && named(changeList)) {
                for (Object item : changeList) {
                    Map<String, Object> patchItem = (Map<String, Object>) item;
                    currentList.stream()
                            .map(existing -> (Map<String, Object>) existing)
                            .filter(existing -> Objects.equals(existing.get("name"), patchItem.get("name")))
                            .findFirst()
                            .ifPresentOrElse(
                                    existing -> merge(existing, patchItem),
                                    () -> ((List<Object>) currentList).add(patchItem));
                }
            } else {
                target.put(entry.getKey(), change);
            }
        }
    }

    private static boolean named(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }
}
