package org.vettedaccess.suite;

import java.util.List;
import java.util.Optional;

/**
 * One Quarkus application of the suite, as the launcher starts it.
 *
 * @param name the service's name (its module directory and Keycloak client id)
 * @param database the PostgreSQL database it owns, if it has one
 */
public record ServiceSpec(String name, Optional<String> database) {

    public static final ServiceSpec UPSTREAM = new ServiceSpec("upstream-sim", Optional.empty());
    public static final ServiceSpec LEDGER = new ServiceSpec("usage-ledger", Optional.of("va_ledger"));
    public static final ServiceSpec POLICY = new ServiceSpec("access-policy", Optional.of("va_policy"));
    public static final ServiceSpec KYC = new ServiceSpec("kyc-service", Optional.of("va_kyc"));
    public static final ServiceSpec GATEWAY = new ServiceSpec("gateway", Optional.of("va_gateway"));

    /** In start order: every service comes after the ones it calls. */
    public static final List<ServiceSpec> ALL = List.of(UPSTREAM, LEDGER, POLICY, KYC, GATEWAY);

    /** The four services that own data and verify tokens (all but the simulated upstream). */
    public static final List<ServiceSpec> SERVICES = List.of(LEDGER, POLICY, KYC, GATEWAY);
}
