package org.vettedaccess.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The overlays rendered with kustomize semantics into fabric8's typed models, and lookups the manifest tests share. */
final class Overlays {

    static final Path ROOT =
            Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    static final Path KUBERNETES = ROOT.resolve("kubernetes");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Overlays() {}

    static List<HasMetadata> render(String overlay) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        for (Map<String, Object> raw :
                Kubectl.kustomize(KUBERNETES.resolve("overlays").resolve(overlay))) {
            objects.add(SERIALIZATION.unmarshal(JSON.writeValueAsString(raw)));
        }
        return objects;
    }

    static Deployment deployment(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(o ->
                        o instanceof Deployment && o.getMetadata().getName().equals(name))
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment/" + name));
    }

    static Job job(List<HasMetadata> objects, String name) {
        return objects.stream()
                .filter(o -> o instanceof Job && o.getMetadata().getName().equals(name))
                .map(Job.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Job/" + name));
    }

    /** A container's environment as plain values: its ConfigMaps' data, then its own env (which wins). */
    static Map<String, String> environment(List<HasMetadata> objects, Container container) {
        Map<String, String> environment = new HashMap<>();
        if (container.getEnvFrom() != null) {
            container.getEnvFrom().stream()
                    .filter(from -> from.getConfigMapRef() != null)
                    .forEach(from -> objects.stream()
                            .filter(o -> o.getKind().equals("ConfigMap")
                                    && o.getMetadata()
                                            .getName()
                                            .equals(from.getConfigMapRef().getName()))
                            .map(ConfigMap.class::cast)
                            .forEach(map -> environment.putAll(map.getData())));
        }
        if (container.getEnv() != null) {
            container.getEnv().forEach(env -> environment.put(env.getName(), env.getValue()));
        }
        return environment;
    }
}
