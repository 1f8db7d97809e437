package org.vettedaccess.ledger.disclosure;

/**
 * A lab admin's disclosure of who is behind one pseudonym.
 *
 * @param subject the person's subject id (their token's sub), whose pseudonym is disclosed
 * @param displayName the name the regulator will see for that pseudonym, and only for it
 * @param legalBasis the legal basis of the disclosure
 * @param reason why it is disclosed
 * @param disclosedTo the regulator or authority that receives it
 */
public record DisclosureRequest(
        String subject, String displayName, String legalBasis, String reason, String disclosedTo) {}
