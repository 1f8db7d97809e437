package org.vettedaccess.policy.notify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server on loopback that takes every mail but answers the end of the first one's DATA only after
 * {@code firstAnswer}: the server has the mail, the sender does not know it yet. Keeps each mail's Message-ID.
 * GreenMail cannot be slowed this way; this speaks just what Vert.x's mail client sends.
 */
final class SlowSmtpServer implements AutoCloseable {

    final List<String> messageIds = new CopyOnWriteArrayList<>();
    private final ServerSocket socket;
    private final Duration firstAnswer;

    SlowSmtpServer(Duration firstAnswer) throws IOException {
        this.firstAnswer = firstAnswer;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("slow-smtp").start(this::accept);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection;
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = connection.getOutputStream()) {
            say(out, "220 slow ready");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
                switch (command) {
                    case "EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> say(out, "250 OK");
                    case "DATA" -> {
                        say(out, "354 go on");
                        String messageId = "";
                        while (!(line = in.readLine()).equals(".")) {
                            if (line.regionMatches(true, 0, "Message-ID:", 0, 11)) {
                                messageId = line.substring(11).strip();
                            }
                        }
                        messageIds.add(messageId);
                        if (messageIds.size() == 1) {
                            Thread.sleep(firstAnswer);
                        }
                        say(out, "250 queued");
                    }
                    case "QUIT" -> {
                        say(out, "221 bye");
                        return;
                    }
                    default -> say(out, "502 not here");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the sender went away
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
