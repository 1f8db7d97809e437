package org.vettedaccess.policy.grant;

/** Why an admin suspends, revokes or reinstates a grant; the reason goes into the ledger. */
public record GrantChange(String reason) {}
