package org.vettedaccess.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ConnectTimeoutException;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** Which failed probes stop fail-closed tiers at once, and which leave the verdict to the staleness bound. */
class LedgerProbeTest {

    @Test
    void aRefusedConnectionIsAnOutageAtOnce() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ConnectException refused = assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", closed), 1000);
            }
        });
        assertTrue(LedgerProbe.refused(new ProcessingException(refused)));
    }

    @Test
    void aResetATimeoutOrAMissingTokenIsNoVerdict() {
        // CI saw a ledger that answered all along counted as down for 200 ms by one such blip during a burst.
        assertFalse(LedgerProbe.refused(new ProcessingException(new SocketException("Connection reset"))));
        assertFalse(LedgerProbe.refused(new ProcessingException(new ConnectTimeoutException("connection timed out"))));
        assertFalse(LedgerProbe.refused(new IllegalStateException("no access token")));
    }
}
