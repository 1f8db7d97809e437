package org.vettedaccess.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/**
 * The running supervisor's control socket ({@code .suite/control.sock}, a Unix domain socket only its user may
 * open), through which {@code ./suite restart <component>} asks it to restart a component of the suite it holds.
 * One request a connection: {@code restart <component>}; the answer is one line, {@code OK <what happened>} or
 * {@code FAILED <why>}. {@code SuiteControl --state DIR restart <component>...} is the client.
 */
public final class SuiteControl implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Path socket;

    private SuiteControl(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
    }

    static Path socket(Path state) {
        return state.resolve("control.sock");
    }

    /** Listens on the state directory's control socket, answering on a thread of its own. */
    static SuiteControl serve(Path state, LocalSuite suite, Consumer<String> log) throws IOException {
        Path socket = socket(state);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        SuiteControl control = new SuiteControl(server, socket);
        Thread thread = new Thread(() -> control.answer(suite, log), "suite-control");
        thread.setDaemon(true);
        thread.start();
        return control;
    }

    private void answer(LocalSuite suite, Consumer<String> log) {
        while (server.isOpen()) {
            try (SocketChannel channel = server.accept();
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
                    PrintWriter out =
                            new PrintWriter(Channels.newOutputStream(channel), true, StandardCharsets.UTF_8)) {
                String request = in.readLine();
                String[] words =
                        request == null ? new String[0] : request.strip().split("\\s+");
                if (words.length != 2 || !words[0].equals("restart")) {
                    out.println("FAILED unknown request: " + request);
                    continue;
                }
                log.accept("control: restart " + words[1]);
                try {
                    out.println("OK " + words[1] + " " + suite.restartComponent(words[1]));
                } catch (SuiteException | RuntimeException e) {
                    log.accept("control: restart " + words[1] + " failed: " + e.getMessage());
                    out.println("FAILED " + e.getMessage());
                }
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // the next start replaces the socket file
        }
    }

    /** {@code --state DIR restart <component>...}: restarts each in turn; exits 1 at the first that fails. */
    public static void main(String[] args) throws IOException {
        if (args.length < 4 || !args[0].equals("--state") || !args[2].equals("restart")) {
            System.err.println("usage: SuiteControl --state DIR restart <component>...");
            System.exit(2);
        }
        Path socket = socket(Path.of(args[1]));
        for (int i = 3; i < args.length; i++) {
            System.out.println("[suite] restarting " + args[i] + " ...");
            String answer;
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                    PrintWriter out = new PrintWriter(Channels.newOutputStream(channel), true, StandardCharsets.UTF_8);
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
                out.println("restart " + args[i]);
                answer = in.readLine();
            } catch (IOException e) {
                System.err.println("suite: cannot reach the supervisor at " + socket + ": " + e.getMessage());
                System.exit(1);
                return;
            }
            if (answer == null || !answer.startsWith("OK ")) {
                System.err.println("suite: " + (answer == null ? "no answer" : answer.replaceFirst("^FAILED ", "")));
                System.exit(1);
            }
            System.out.println("[suite] " + answer.substring(3));
        }
    }
}
