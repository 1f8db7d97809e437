package org.vettedaccess.ledger.entry;

/** The client role that lets a service account append (docs/architecture.md). */
public final class LedgerRoles {

    public static final String APPEND = "append";

    private LedgerRoles() {}
}
