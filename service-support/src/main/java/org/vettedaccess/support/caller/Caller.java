package org.vettedaccess.support.caller;

import java.util.Set;

/**
 * The caller as this service verified it from the bearer token.
 *
 * @param service the service that verified the token
 * @param subject the token's {@code sub}: the stable, opaque id of the person
 * @param username the person's Keycloak username
 * @param roles the roles this service granted the caller
 * @param audience the token's {@code aud} values
 * @param authorizedParty the client the token was issued to ({@code azp})
 */
public record Caller(
        String service,
        String subject,
        String username,
        Set<String> roles,
        Set<String> audience,
        String authorizedParty) {}
