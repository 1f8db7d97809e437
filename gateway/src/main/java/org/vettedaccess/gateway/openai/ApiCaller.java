package org.vettedaccess.gateway.openai;

import java.util.UUID;

/**
 * Who is calling /v1, as the gateway verified it.
 *
 * @param subject the researcher's subject id (the token's sub, or the key owner's)
 * @param keyId the API key used, or null for a Keycloak token
 * @param keyGrantId the one grant the key is bound to, or null
 */
record Caller(String subject, UUID keyId, UUID keyGrantId) {}
