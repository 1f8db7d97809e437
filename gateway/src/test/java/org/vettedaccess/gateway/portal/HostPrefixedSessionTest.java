package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Cookie header OIDC reads over TLS (the end-to-end test SecureSessionCookieTest signs in for real). */
class HostPrefixedSessionTest {

    @Test
    void thePrefixedSessionIsReadUnderItsPlainNameAndOthersAreKept() {
        assertEquals(
                "q_auth_portal_x=1; q_session_portal=abc; q_session_portal_chunk_1=def; other=2",
                HostPrefixedSession.inbound(
                        "q_auth_portal_x=1; __Host-q_session_portal=abc; __Host-q_session_portal_chunk_1=def; other=2"));
    }

    @Test
    void anUnprefixedSessionCookieIsDroppedOverTls() {
        // A sibling host (or a plain-http page) can set q_session_portal, never __Host-q_session_portal.
        assertEquals("other=2", HostPrefixedSession.inbound("q_session_portal=planted; other=2"));
        assertEquals(
                "q_session_portal=real",
                HostPrefixedSession.inbound("q_session_portal=planted; __Host-q_session_portal=real"));
    }
}
