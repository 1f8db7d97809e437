package org.vettedaccess.policy.ledger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.support.outbox.JtaTransactions;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.LedgerOutbox;

/** access-policy's ledger outbox (table {@code ledger_outbox}, migration V6), relaying from startup. */
@ApplicationScoped
public class PolicyLedgerOutbox {

    /** The relay's advisory lock in access-policy's database ("va-policy" in ASCII). */
    static final long LOCK_KEY = 0x76612d706f6c6963L;

    @Produces
    @Singleton
    LedgerOutbox outbox(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            LedgerClient ledger,
            @All List<LeafCallback> callbacks,
            ObjectMapper json,
            PolicyConfig config) {
        return new LedgerOutbox(
                dataSource,
                new JtaTransactions(dataSource, registry),
                ledger::append,
                callbacks,
                json,
                new LedgerOutbox.Settings(
                        "ledger_outbox", LOCK_KEY, config.ledgerOutboxInterval(), config.ledgerOutboxLockWait()));
    }

    void start(@Observes StartupEvent event, LedgerOutbox outbox) {
        outbox.start();
    }

    void stop(@Observes ShutdownEvent event, LedgerOutbox outbox) {
        outbox.close();
    }
}
