package org.vettedaccess.gateway.openai;

import java.util.UUID;

/**
 * Who is calling /v1, as the gateway verified it (a researcher; service-support's {@code Caller} is the bearer token a
 * service API verified).
 *
 * @param subject the researcher's subject id (the token's sub, or the key owner's)
 * @param keyId the API key used, or null for a Keycloak token
 * @param keyGrantId the one grant the key is bound to, or null
 */
record ApiCaller(String subject, UUID keyId, UUID keyGrantId) {}
