package org.vettedaccess.support.durability;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which server and session settings count as durable commits (the running services are checked end to end). */
class DurableCommitReadinessTest {

    @Test
    void everyLevelThatFlushesTheWalBeforeAnsweringIsDurable() {
        for (String level : new String[] {"on", "local", "remote_write", "remote_apply"}) {
            assertTrue(DurableCommitReadiness.durable(level, "on"), level);
        }
    }

    @Test
    void anAsynchronousCommitOrAServerWithoutFsyncIsNot() {
        assertFalse(DurableCommitReadiness.durable("off", "on"));
        assertFalse(DurableCommitReadiness.durable("on", "off"));
        assertFalse(DurableCommitReadiness.durable("local", "off"));
    }
}
