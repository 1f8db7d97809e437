package org.vettedaccess.support.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {

    /** How Hibernate reports a restarting PostgreSQL: a generic wrapper around the driver's SQLException. */
    private static RuntimeException wrapped(String sqlState) {
        return new RuntimeException(
                "Unable to acquire JDBC Connection", new SQLException("FATAL: the database system", sqlState));
    }

    @Test
    void aRestartingOrUnreachableDatabaseIsUnavailableNotAnInternalError() {
        assertTrue(ProblemMapper.databaseUnavailable(wrapped("57P03")), "starting up");
        assertTrue(ProblemMapper.databaseUnavailable(wrapped("57P01")), "admin shutdown");
        assertTrue(ProblemMapper.databaseUnavailable(wrapped("57P02")), "crash shutdown");
        assertTrue(ProblemMapper.databaseUnavailable(wrapped("08006")), "connection failure");
    }

    @Test
    void otherDatabaseErrorsAreNotUnavailability() {
        assertFalse(ProblemMapper.databaseUnavailable(wrapped("23505")), "unique violation");
        assertFalse(ProblemMapper.databaseUnavailable(wrapped("57014")), "query cancelled");
        assertFalse(ProblemMapper.databaseUnavailable(new IllegalStateException("no SQL state")));
    }

    @Test
    void theUnavailableProblemIsA503() {
        assertEquals(503, ProblemType.UNAVAILABLE.status());
    }
}
