package org.vettedaccess.support.config;

import io.smallrye.config.ConfigMapping;

/** Who this service is, as every service of the suite declares it. */
@ConfigMapping(prefix = "vetted.service")
public interface ServiceIdentityConfig {

    /** The service's name, equal to its Keycloak client id and to the token audience it accepts. */
    String name();
}
