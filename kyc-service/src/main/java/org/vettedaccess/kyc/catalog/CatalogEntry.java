package org.vettedaccess.kyc.catalog;

/**
 * A model of access-policy's catalog ({@code GET /api/v1/models}) as another service checks a request against it:
 * the part of access-policy's model record that says whether the model may be requested, and by which tier. Read
 * as a projection of access-policy's own {@code ModelRecord} (which is not in contracts yet; the gateway's portal
 * reads it as a map): moving that record to contracts would let both readers share it.
 *
 * @param id the model id researchers call
 * @param requiredTier the tier a grant must have to use it
 * @param status ACTIVE or SUSPENDED
 */
public record CatalogEntry(String id, int requiredTier, String status) {

    /** Whether an application may request it now. */
    public boolean active() {
        return "ACTIVE".equals(status);
    }
}
