package org.vettedaccess.suite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real Redis for the gateway's shared quota counters, run from the server binary that the
 * {@code com.github.codemonstur:embedded-redis} jar carries, so a fresh machine needs no Redis installed. Like
 * production Redis here, it keeps nothing on disk.
 */
final class RedisServer {

    private RedisServer() {}

    static ChildProcess start(Path cache, int port, Path log, PidFiles pids) throws SuiteException {
        Path binary = unpack(cache);
        return ChildProcess.start(
                "redis",
                List.of(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--protected-mode",
                        "no"),
                Map.of(),
                log,
                pids);
    }

    private static Path unpack(Path cache) throws SuiteException {
        String arch = System.getProperty("os.arch");
        String resource = switch (arch) {
            case "amd64", "x86_64" -> "redis-server-6.2.6-v5-linux-amd64";
            case "aarch64", "arm64" -> "redis-server-6.2.7-linux-arm64";
            default -> throw new SuiteException("no bundled Redis for " + arch + ": set SUITE_REDIS_URL");
        };
        Path target = cache.resolve(resource);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new SuiteException("the Redis binary " + resource + " is not on the class path");
            }
            Files.createDirectories(cache);
            Path partial = cache.resolve(resource + ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new SuiteException("could not unpack Redis to " + cache + ": " + e.getMessage(), e);
        }
    }

    /** Waits until Redis answers PING. */
    static void awaitReady(ChildProcess redis, int port, Duration timeout) throws SuiteException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ping("127.0.0.1", port)) {
                return;
            }
            ChildProcess.sleep(100);
        }
        throw new SuiteException("redis did not answer within " + timeout.toSeconds() + " s: ./suite logs redis");
    }

    static boolean ping(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
