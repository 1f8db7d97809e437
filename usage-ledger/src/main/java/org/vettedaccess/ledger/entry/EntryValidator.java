package org.vettedaccess.ledger.entry;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.Jcs;
import org.vettedaccess.support.problem.ProblemException;

/**
 * Checks an entry against its type's fields and turns it into leaf fields. Refuses, naming the field: an
 * unknown type, a missing or undeclared field, a value of the wrong kind, and anything that looks like
 * personal data.
 */
@ApplicationScoped
public class EntryValidator {

    private static final Pattern EMAIL = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");
    private static final Set<String> SCOPE_LISTS = Set.of("models", "tiers", "institutions", "countries");
    private static final int MAX_TEXT = 512;
    private static final int MAX_LIST = 100;
    private static final long MAX_COUNT = (1L << 53) - 1;
    private static final int MAX_DOCUMENTS = 20;
    private static final List<String> DOCUMENT_FIELDS = List.of("kind", "url", "sha256");

    private final Pseudonyms pseudonyms;

    public EntryValidator(Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
    }

    /** Validates one element of an append request; {@code at} names it in errors (e.g. "entries[3]"). */
    public PreparedEntry prepare(String idempotencyKey, String typeName, JsonNode entry, String at) {
        if (idempotencyKey == null || !AsciiWords.isWord(idempotencyKey, 8, 200, "._:/-")) {
            throw ProblemException.invalidField(
                    at + ".idempotencyKey", "must be 8 to 200 characters of letters, digits and ._:/-");
        }
        EntryType type = EntryType.fromWire(typeName == null ? "" : typeName)
                .orElseThrow(
                        () -> ProblemException.invalidField(at + ".type", "unknown entry type '" + typeName + "'"));
        if (entry == null || !entry.isObject()) {
            throw ProblemException.invalidField(at + ".entry", "must be an object");
        }
        for (var names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!type.fields().containsKey(name)) {
                throw ProblemException.invalidField(
                        at + ".entry." + name,
                        "is not a field of '" + type.wireName() + "' entries (the ledger takes no personal data"
                                + " and no undeclared fields)");
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, FieldKind> field : type.fields().entrySet()) {
            JsonNode value = entry.get(field.getKey());
            String path = at + ".entry." + field.getKey();
            if (value == null || value.isNull()) {
                if (type.isOptional(field.getKey())) {
                    continue;
                }
                throw ProblemException.invalidField(path, "is required");
            }
            Object converted = convert(field.getValue(), value, path);
            check(type.rule(field.getKey()), converted, path);
            fields.put(field.getKey(), converted);
        }
        // Canonicalised once: the request hash is over these bytes, and the leaf adds its type and loggedAt to them.
        Jcs.CanonicalObject canonical = Jcs.object(fields);
        byte[] requestHash = Hashes.sha256(Jcs.canonicalize(Map.of("type", type.wireName(), "fields", canonical)));
        Object subject = fields.get("subject");
        Object model = fields.containsKey("model") ? fields.get("model") : fields.get("modelId");
        return new PreparedEntry(
                idempotencyKey,
                type,
                fields,
                canonical,
                requestHash,
                subject instanceof String s ? s : null,
                model instanceof String m ? m : null);
    }

    private Object convert(FieldKind kind, JsonNode value, String path) {
        return switch (kind) {
            case TEXT -> text(value, path);
            case COUNT -> count(value, path);
            case INSTANT -> instant(value, path);
            case HASH -> {
                String hash = text(value, path);
                if (!AsciiWords.isLowerHex(hash, 64)) {
                    throw ProblemException.invalidField(path, "must be a SHA-256 hash in lowercase hex");
                }
                yield hash;
            }
            case SUBJECT -> pseudonyms.of(subject(value, path));
            case SUBJECTS -> list(value, path, (item, itemPath) -> pseudonyms.of(subject(item, itemPath)));
            case TEXTS -> list(value, path, this::text);
            case COUNTS -> counts(value, path);
            case SCOPE -> scope(value, path);
            case SCOPE_TAGS -> ScopeTagShapes.check(value, path);
            case NUMBER -> number(value, path);
            case FLAG -> {
                if (!value.isBoolean()) {
                    throw ProblemException.invalidField(path, "must be true or false");
                }
                yield value.booleanValue();
            }
            case DOCUMENTS -> documents(value, path);
            case INDICES -> list(value, path, (item, itemPath) -> count(item, itemPath));
        };
    }

    /** The checks of a type's {@link EntryType.FieldRule} on an already converted value. */
    private static void check(EntryType.FieldRule rule, Object value, String path) {
        if (!rule.oneOf().isEmpty() && !rule.oneOf().contains(value)) {
            throw ProblemException.invalidField(path, "must be one of " + new java.util.TreeSet<>(rule.oneOf()));
        }
        if (!rule.requiredNames().isEmpty() && value instanceof Map<?, ?> counts) {
            for (String name : rule.requiredNames()) {
                if (!counts.containsKey(name)) {
                    throw ProblemException.invalidField(path + "." + name, "is required");
                }
            }
            for (Object name : counts.keySet()) {
                if (!rule.requiredNames().contains(name)
                        && !rule.optionalNames().contains(name)) {
                    throw ProblemException.invalidField(path + "." + name, "is not a name this field takes");
                }
            }
        }
        if (value instanceof List<?> items) {
            if (items.size() < rule.minItems() || (rule.maxItems() > 0 && items.size() > rule.maxItems())) {
                throw ProblemException.invalidField(
                        path, "must hold " + rule.minItems() + " to " + rule.maxItems() + " items");
            }
            if (rule.distinct() && Set.copyOf(items).size() != items.size()) {
                throw ProblemException.invalidField(path, "must not name anyone twice");
            }
        }
    }

    /**
     * A finite non-negative number as a double, however the caller wrote it ({@code 3.1e25},
     * {@code 31000000000000000000000000}), so that equal numbers give equal leaves (JCS writes doubles one way).
     */
    private static double number(JsonNode value, String path) {
        double number = value.isNumber() ? value.doubleValue() : Double.NaN;
        if (!Double.isFinite(number) || number < 0) {
            throw ProblemException.invalidField(path, "must be a finite non-negative number");
        }
        return number == 0 ? 0.0 : number; // -0 is 0
    }

    private List<Object> documents(JsonNode value, String path) {
        if (!value.isArray() || value.size() > MAX_DOCUMENTS) {
            throw ProblemException.invalidField(path, "must be a list of at most " + MAX_DOCUMENTS + " documents");
        }
        List<Object> documents = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode document = value.get(i);
            String at = path + "[" + i + "]";
            if (!document.isObject()) {
                throw ProblemException.invalidField(at, "must be an object with kind, url and sha256");
            }
            for (var names = document.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!DOCUMENT_FIELDS.contains(name)) {
                    throw ProblemException.invalidField(at + "." + name, "is not a field of a document");
                }
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (String name : DOCUMENT_FIELDS) {
                JsonNode field = document.get(name);
                if (field == null || field.isNull()) {
                    throw ProblemException.invalidField(at + "." + name, "is required");
                }
                fields.put(
                        name,
                        switch (name) {
                            case "url" -> url(field, at + ".url");
                            case "sha256" -> convert(FieldKind.HASH, field, at + ".sha256");
                            default -> text(field, at + "." + name);
                        });
            }
            documents.add(fields);
        }
        return documents;
    }

    private String url(JsonNode value, String path) {
        String url = text(value, path);
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw ProblemException.invalidField(path, "must be an http or https URL");
    }

    private String text(JsonNode value, String path) {
        if (!value.isTextual()) {
            throw ProblemException.invalidField(path, "must be a string");
        }
        String text = value.asText();
        if (text.isBlank() || text.length() > MAX_TEXT) {
            throw ProblemException.invalidField(path, "must be 1 to " + MAX_TEXT + " characters");
        }
        if (looksLikeEmail(text)) {
            throw ProblemException.invalidField(
                    path, "looks like personal data (an email address); the ledger does not take it");
        }
        return text;
    }

    private String subject(JsonNode value, String path) {
        String subject = value.isTextual() ? value.asText() : "";
        if (!AsciiWords.isWord(subject, 1, 128, "._:-") || looksLikeEmail(subject)) {
            throw ProblemException.invalidField(path, "must be a subject id (the token's sub), not a name or an email");
        }
        return subject;
    }

    /**
     * The email check. Text without an '@' cannot match, and most text has none: skipping the regex there
     * matters because {@code find()} backtracks quadratically on a long word (it was the most expensive step
     * of an append).
     */
    private static boolean looksLikeEmail(String text) {
        return text.indexOf('@') >= 0 && EMAIL.matcher(text).find();
    }

    private static long count(JsonNode value, String path) {
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > MAX_COUNT) {
            throw ProblemException.invalidField(path, "must be a non-negative integer");
        }
        return value.asLong();
    }

    private static String instant(JsonNode value, String path) {
        String text = value.asText("");
        if (isCanonicalInstant(text)) {
            return text;
        }
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(path, "must be an RFC 3339 UTC time, e.g. 2026-01-31T12:00:00Z");
        }
    }

    /**
     * True if {@code text} is a valid {@code yyyy-MM-ddTHH:mm:ssZ}, the form callers send and exactly what
     * {@code Instant.parse(text).toString()} returns for it; checked without the formatter, which was a tenth of
     * an append's validation. Anything else takes the formatter's path.
     */
    private static boolean isCanonicalInstant(String text) {
        if (text.length() != 20
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(19) != 'Z') {
            return false;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        return year >= 0
                && month >= 1
                && month <= 12
                && day >= 1
                && day <= YearMonth.of(year, month).lengthOfMonth()
                && hour >= 0
                && hour <= 23
                && minute >= 0
                && minute <= 59
                && second >= 0
                && second <= 59;
    }

    /** The decimal number in {@code text[from, from + count)}, or -1 if a character is not an ASCII digit. */
    private static int digits(String text, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private interface ItemConverter {
        Object convert(JsonNode item, String path);
    }

    private static List<Object> list(JsonNode value, String path, ItemConverter item) {
        if (!value.isArray() || value.size() > MAX_LIST) {
            throw ProblemException.invalidField(path, "must be a list of at most " + MAX_LIST + " items");
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(item.convert(value.get(i), path + "[" + i + "]"));
        }
        return items;
    }

    private static Map<String, Object> counts(JsonNode value, String path) {
        if (!value.isObject() || value.size() > MAX_LIST) {
            throw ProblemException.invalidField(path, "must be an object of named non-negative integers");
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        value.fields().forEachRemaining(e -> counts.put(e.getKey(), count(e.getValue(), path + "." + e.getKey())));
        return counts;
    }

    private Map<String, Object> scope(JsonNode value, String path) {
        if (!value.isObject()) {
            throw ProblemException.invalidField(
                    path, "must be an object with models, tiers, institutions, countries or global");
        }
        Map<String, Object> scope = new LinkedHashMap<>();
        for (var fields = value.fields(); fields.hasNext(); ) {
            var field = fields.next();
            String fieldPath = path + "." + field.getKey();
            if (field.getKey().equals("global")) {
                if (!field.getValue().isBoolean()) {
                    throw ProblemException.invalidField(fieldPath, "must be true or false");
                }
                scope.put("global", field.getValue().asBoolean());
            } else if (SCOPE_LISTS.contains(field.getKey())) {
                scope.put(field.getKey(), list(field.getValue(), fieldPath, this::text));
            } else if (field.getKey().equals("model")) {
                // An INSTITUTION or COUNTRY switch on one model (ADR 0045): checked below to come with one of them.
                scope.put("model", text(field.getValue(), fieldPath));
            } else {
                throw ProblemException.invalidField(
                        fieldPath, "is not a kill-switch scope (models, tiers, institutions, countries, global)");
            }
        }
        if (scope.isEmpty()) {
            throw ProblemException.invalidField(path, "must name at least one scope");
        }
        if (scope.containsKey("model") && !scope.containsKey("institutions") && !scope.containsKey("countries")) {
            throw ProblemException.invalidField(path + ".model", "names a model only with institutions or countries");
        }
        return scope;
    }
}
