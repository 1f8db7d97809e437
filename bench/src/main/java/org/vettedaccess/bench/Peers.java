package org.vettedaccess.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The comparison's peers and processes: nginx and Portkey started, process trees, CPU ticks, RSS, jcmd, HTTP. */
final class Peers {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Peers() {}

    static Process startNginx(String nginx, Path prefix, int port, int simPort) throws IOException {
        Files.createDirectories(prefix.resolve("logs"));
        // Two workers for two cores (nginx's "auto"): the gateway's Vert.x event loops also use every core.
        String config = """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 16384; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/client_body;
                  proxy_temp_path %1$s/proxy;
                  upstream simulator { server 127.0.0.1:%3$d; keepalive 256; }
                  server {
                    listen 127.0.0.1:%2$d;
                    client_body_buffer_size 1m;
                    location / {
                      proxy_pass http://simulator;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                    }
                  }
                }
                """.formatted(prefix, port, simPort);
        Path file = Files.writeString(prefix.resolve("nginx.conf"), config);
        return new ProcessBuilder(nginx, "-p", prefix.toString(), "-c", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/nginx.out").toFile())
                .start();
    }

    static Process startPortkey(String node, Path directory, int port, Path work) throws IOException {
        return new ProcessBuilder(
                        node, "node_modules/@portkey-ai/gateway/build/start-server.js", "--port=" + port, "--headless")
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("portkey.log").toFile())
                .start();
    }

    // --- processes: pids, CPU, memory ---

    static long pidOf(Path state, String name) throws IOException {
        return Long.parseLong(
                Files.readString(state.resolve("pids/" + name + ".pid")).trim().split("\\s+")[0]);
    }

    /** A process and its descendants (nginx's workers, PostgreSQL's backends). */
    static Set<Long> tree(long pid) {
        Set<Long> pids = new LinkedHashSet<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            pids.add(p.pid());
            p.descendants().forEach(d -> pids.add(d.pid()));
        });
        return pids;
    }

    /** The gateway and what its pipeline uses: PostgreSQL (with its backends), Redis, usage-ledger, access-policy. */
    static Set<Long> pipelineProcesses(Path state) {
        Set<Long> pids = new LinkedHashSet<>();
        for (String name : List.of("gateway", "usage-ledger", "access-policy", "redis", "postgres")) {
            try {
                pids.addAll(tree(pidOf(state, name)));
            } catch (IOException | RuntimeException e) {
                // not recorded under that name
            }
        }
        // The embedded PostgreSQL's server runs from its data directory inside the state directory.
        String data = state.resolve("data").toString();
        ProcessHandle.allProcesses().forEach(p -> {
            if (p.pid() != ProcessHandle.current().pid()
                    && p.info().commandLine().orElse("").contains(data)) {
                pids.addAll(tree(p.pid()));
            }
        });
        return pids;
    }

    static long cpuTicks(Set<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return ticks;
    }

    static long rssKb(Set<Long> pids) {
        long kb = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kb += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return kb;
    }

    static long heapUsed(String metrics) throws Exception {
        long sum = 0;
        for (String line : get(metrics).split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    static String jcmd(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        return output;
    }

    static String get(String url) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static void post(String url, String json) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
