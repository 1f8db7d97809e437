package org.vettedaccess.policy.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.LedgerOutbox;

/** access-policy's ledger outbox (table {@code ledger_outbox}, migration V6), relaying from startup. */
@ApplicationScoped
public class PolicyLedgerOutbox {

    @Produces
    @Singleton
    @Startup
    LedgerOutbox outbox(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            LedgerClient ledger,
            @All List<LeafCallback> callbacks,
            ObjectMapper json,
            PolicyConfig config) {
        return LedgerOutbox.relaying(
                dataSource,
                registry,
                ledger::append,
                callbacks,
                json,
                LedgerOutbox.Settings.of("va-policy", config.ledgerOutboxInterval(), config.ledgerOutboxLockWait()));
    }

    void stop(@Disposes LedgerOutbox outbox) {
        outbox.close();
    }
}
