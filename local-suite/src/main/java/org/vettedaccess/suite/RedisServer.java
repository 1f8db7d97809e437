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
import java.util.Optional;

/**
 * A real Redis for the gateway's shared quota counters. It is the machine's {@code redis-server} when that is Redis 7
 * or newer, the major version the Kubernetes manifests run ({@code kubernetes/base/platform/redis.yaml}); otherwise
 * the server binary that the {@code com.github.codemonstur:embedded-redis} jar carries (Redis 6.2, the newest it
 * ships), so a fresh machine still needs nothing installed ({@code ./suite test} installs Debian's redis-server).
 * {@code SUITE_REDIS_SERVER} names another binary. Like production Redis here, it keeps nothing on disk.
 */
final class RedisServer {

    /** The first major version of Redis the suite prefers, the one the cluster runs. */
    static final int MAJOR = 7;

    /** A Redis server binary, its version, and where it came from. */
    record Binary(Path path, String version, String source) {}

    private RedisServer() {}

    /** The binary to run: {@code SUITE_REDIS_SERVER}, else a Redis 7+ on PATH, else the embedded 6.2. */
    static Binary binary(Path cache) throws SuiteException {
        String named = System.getenv("SUITE_REDIS_SERVER");
        if (named != null && !named.isBlank()) {
            Path path = Path.of(named);
            return new Binary(path, version(path).orElse("?"), "SUITE_REDIS_SERVER");
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "redis-server");
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                Optional<String> version = version(candidate);
                if (version.isPresent() && major(version.get()) >= MAJOR) {
                    return new Binary(candidate, version.get(), candidate.toString());
                }
            }
        }
        Path embedded = unpack(cache);
        return new Binary(
                embedded,
                version(embedded).orElse("6.2"),
                "embedded; install redis-server " + MAJOR + "+ to match the cluster");
    }

    static ChildProcess start(Binary binary, int port, Path log, PidFiles pids) throws SuiteException {
        return ChildProcess.start(
                "redis",
                List.of(
                        binary.path().toString(),
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

    /** {@code redis-server --version} prints "Redis server v=7.0.15 sha=..."; empty if it does not run. */
    static Optional<String> version(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                return Optional.empty();
            }
            java.util.regex.Matcher matcher =
                    java.util.regex.Pattern.compile("v=([0-9][0-9.]*)").matcher(out);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static int major(String version) {
        try {
            return Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
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
