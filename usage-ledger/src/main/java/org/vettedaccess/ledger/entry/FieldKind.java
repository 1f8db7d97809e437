package org.vettedaccess.ledger.entry;

/** What a field of an entry holds, and so how it is checked and stored. */
enum FieldKind {
    /** Free text, at most 512 characters, not personal data. */
    TEXT,
    /** A non-negative integer. */
    COUNT,
    /** An RFC 3339 instant. */
    INSTANT,
    /** A SHA-256 hash in lowercase hex. */
    HASH,
    /** A person's subject id (the token's sub); the ledger stores its pseudonym instead. */
    SUBJECT,
    /** Several subject ids, stored as pseudonyms. */
    SUBJECTS,
    /** A list of short texts. */
    TEXTS,
    /** An object of named non-negative integers (quotas). */
    COUNTS,
    /** A kill-switch scope: lists of models, tiers, institutions, countries, and a global flag. */
    SCOPE,
    /** A finite non-negative JSON number, stored as a double (training FLOP such as 3.1e25 exceed a long). */
    NUMBER,
    /** A JSON boolean. */
    FLAG,
    /** A list of at most 20 published documents, each {@code {"kind", "url" (http or https), "sha256"}}. */
    DOCUMENTS,
    /**
     * A usage leaf's keyed scope tags (ADR 0046): {@code {"key": <16 hex digits>, "institution": <tag>, "country":
     * <tag>}}, each tag 22 characters of base64url, at least one of them, no other names.
     */
    SCOPE_TAGS,
    /** A list of ledger leaf indices (non-negative integers): the receipts an incident report attaches. */
    INDICES
}
