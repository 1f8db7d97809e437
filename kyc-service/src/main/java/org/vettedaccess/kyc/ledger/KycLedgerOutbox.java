package org.vettedaccess.kyc.ledger;

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
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.support.outbox.JtaTransactions;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.LedgerOutbox;

/** kyc-service's ledger outbox (table {@code ledger_outbox}, migration V5), relaying from startup. */
@ApplicationScoped
public class KycLedgerOutbox {

    /** The relay's advisory lock in kyc-service's database ("va-kyc" in ASCII). */
    static final long LOCK_KEY = 0x76612d6b7963L;

    @Produces
    @Singleton
    LedgerOutbox outbox(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            LedgerClient ledger,
            @All List<LeafCallback> callbacks,
            ObjectMapper json,
            KycConfig config) {
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
