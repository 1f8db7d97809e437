#!/usr/bin/env python3
"""Writes kubernetes-definitions.json: the definitions of Kubernetes' OpenAPI (v2) document that the kinds below
need, transitively, unchanged. Run: python3 subset.py swagger.json.unprocessed > kubernetes-definitions.json
(the source and its version are in README.md; ManifestsSchemaTest makes the schemas strict as it loads them)."""
import json
import sys

KINDS = [
    "io.k8s.api.apps.v1.Deployment",
    "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
    "io.k8s.api.batch.v1.Job",
    "io.k8s.api.core.v1.ConfigMap",
    "io.k8s.api.core.v1.Secret",
    "io.k8s.api.core.v1.Service",
    "io.k8s.api.core.v1.ServiceAccount",
    "io.k8s.api.networking.v1.NetworkPolicy",
    "io.k8s.api.policy.v1.PodDisruptionBudget",
]

definitions = json.load(open(sys.argv[1]))["definitions"]
kept = {}
pending = list(KINDS)
while pending:
    name = pending.pop()
    if name in kept:
        continue
    kept[name] = definitions[name]

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/definitions/"):
                pending.append(ref[len("#/definitions/"):])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(kept[name])
json.dump({"definitions": dict(sorted(kept.items()))}, sys.stdout, indent=1, sort_keys=True)
sys.stdout.write("\n")
