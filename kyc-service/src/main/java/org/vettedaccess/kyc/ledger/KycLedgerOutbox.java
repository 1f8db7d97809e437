package org.vettedaccess.kyc.ledger;

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
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.support.outbox.LeafCallback;
import org.vettedaccess.support.outbox.LedgerOutbox;

/** kyc-service's ledger outbox (table {@code ledger_outbox}, migration V5), relaying from startup. */
@ApplicationScoped
public class KycLedgerOutbox {

    @Produces
    @Singleton
    @Startup
    LedgerOutbox outbox(
            AgroalDataSource dataSource,
            TransactionSynchronizationRegistry registry,
            LedgerClient ledger,
            @All List<LeafCallback> callbacks,
            ObjectMapper json,
            KycConfig config) {
        return LedgerOutbox.relaying(
                dataSource,
                registry,
                ledger::append,
                callbacks,
                json,
                LedgerOutbox.Settings.of("va-kyc", config.ledgerOutboxInterval(), config.ledgerOutboxLockWait()));
    }

    void stop(@Disposes LedgerOutbox outbox) {
        outbox.close();
    }
}
