package org.vettedaccess.policy.catalog;

/**
 * A document the lab published about a model, tied to the catalog entry by its hash.
 *
 * @param kind what it is, a lowercase slug such as {@code model-card} or {@code evaluation-summary}
 * @param url where it is published (http or https)
 * @param sha256 the SHA-256 of the published bytes, lowercase hex
 */
public record Disclosure(String kind, String url, String sha256) {}
