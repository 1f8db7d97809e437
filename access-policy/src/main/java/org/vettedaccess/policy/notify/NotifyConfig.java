package org.vettedaccess.policy.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Who is mailed when a report is filed or a tripwire trips (issue 21, ADR 0041). */
@ConfigMapping(prefix = "policy.notify")
public interface NotifyConfig {

    /** Addresses mailed when a researcher files a flaw or incident report (the incident triagers); none: no mail. */
    Optional<List<String>> triagers();

    /** Addresses mailed when a tripwire trips (the policy admins, who release its kill switch); none: no mail. */
    Optional<List<String>> admins();

    /** How long one SMTP send may take before the relay gives up on it and tries again later. */
    @WithDefault("10s")
    Duration sendTimeout();

    /** How long a row's send is kept: a retry within it waits on that send (going, or through), not send again. */
    @WithDefault("5m")
    Duration resendAfter();

    /** How often the mail relay looks for mail no commit woke it for (another replica's, or one SMTP refused). */
    @WithDefault("5s")
    Duration relayInterval();
}
