package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.ledger.verifier.BundleFormat;
import org.vettedaccess.ledger.verifier.Report;

/**
 * {@code ledger-verifier conformance (--bundle <file> | --url <ledger URL> --token <regulator token>) [--vkey <vkey>]
 * [--scope-key <base64 key or @file>]... [--from <index>] [--to <index>] [--bound-ms <millis>] [--json <file>]}:
 * replays the policy from the leaves and checks every leaf of the range against it; each {@code --scope-key} lets it
 * judge INSTITUTION and COUNTRY kill switches and scope trips on the usage leaves tagged under it (ADR 0046). Prints the summary (counts per rule), writes the JSON report if asked,
 * and exits 0 if nothing broke a rule, 1 on a violation (or a bundle that does not verify against {@code --vkey}),
 * 2 on wrong usage or unreadable input.
 */
public final class ConformanceCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private ConformanceCommand() {}

    public static int run(String[] args, PrintStream out) {
        String bundle = null;
        String url = null;
        String token = System.getenv("LEDGER_TOKEN");
        String json = null;
        List<NoteKeys.Verifier> keys = new ArrayList<>();
        List<ScopeTags> scopeKeys = new ArrayList<>();
        long from = 0;
        Long to = null;
        long bound = 1_000;
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--bundle" -> bundle = value;
                    case "--url" -> url = value.replaceAll("/+$", "");
                    case "--token" -> token = value;
                    case "--json" -> json = value;
                    case "--vkey" ->
                        keys.add(NoteKeys.parseVerifier(
                                value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value));
                    case "--scope-key" ->
                        scopeKeys.add(ScopeTags.parse(
                                value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value));
                    case "--from" -> from = Long.parseLong(value);
                    case "--to" -> to = Long.parseLong(value);
                    case "--bound-ms" -> bound = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if ((bundle == null) == (url == null)) {
                throw new IllegalArgumentException("give exactly one of --bundle or --url");
            }
            Conformance conformance = new Conformance(Duration.ofMillis(bound), scopeKeys);
            if (bundle != null) {
                if (!keys.isEmpty()) {
                    Report integrity;
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(bundle)))) {
                        // either bundle format: version 2 streams, version 1 carries a proof per entry
                        integrity = BundleFormat.verify(in, keys, Optional.empty(), Optional.empty());
                    }
                    integrity.checks().forEach(out::println);
                    if (!integrity.passed()) {
                        out.println("NOT VERIFIED: conformance of a log that does not verify proves nothing");
                        return 1;
                    }
                }
                read(Path.of(bundle), to, conformance);
            } else {
                fetch(url, token, to, conformance);
            }
            long end = to == null ? conformance.size() : Math.min(to, conformance.size());
            ConformanceReport report = conformance.check(from, end);
            out.println(report.summary());
            if (json != null) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(json).toFile(), report.toJson());
            } else if (!report.passed()) {
                report.violations().stream()
                        .limit(50)
                        .forEach(v -> out.println(v.rule().id() + " at " + v.index() + ": " + v.detail() + " (leaves "
                                + v.leaves() + ")"));
            }
            return report.passed() ? 0 : 1;
        } catch (IllegalArgumentException | IOException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: conformance (--bundle <file> [--vkey <vkey>] | --url <ledger URL> --token <token>)"
                    + " [--scope-key <base64 key or @file>]... [--from <index>] [--to <index>] [--bound-ms <millis>]"
                    + " [--json <file>]");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    /**
     * Streams the bundle's entries (either format) into the replay, one entry in memory at a time, as
     * StreamingVerifier reads it: a 10-million-leaf bundle is never one tree in memory.
     */
    static void read(Path bundle, Long to, Conformance conformance) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle));
                JsonParser parser = JSON.getFactory().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a bundle is a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("entries") || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode entry = JSON.readTree(parser);
                    long index = entry.path("index").asLong(-1);
                    if (index >= 0 && (to == null || index < to)) {
                        conformance.add(
                                index,
                                Base64.getDecoder().decode(entry.path("leaf").asText()));
                    }
                }
            }
        }
    }

    /** Reads every leaf (up to {@code to}) page by page from the ledger's entries API, as a regulator may. */
    private static void fetch(String url, String token, Long to, Conformance conformance)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long after = -1;
        while (true) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(url + "/api/v1/entries?limit=" + PAGE + "&after=" + after));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("the ledger answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode page = JSON.readTree(response.body());
            for (JsonNode entry : page.path("entries")) {
                long index = entry.path("index").asLong();
                if (to != null && index >= to) {
                    return;
                }
                conformance.add(
                        index, Base64.getDecoder().decode(entry.path("leaf").asText()));
            }
            if (page.path("next").isNull() || page.path("next").isMissingNode()) {
                return;
            }
            after = page.path("next").asLong();
        }
    }
}
