package com.castiel.sync.testkit.fake;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The requests a fake server received, in arrival order, for tests to assert on ("exactly one
 * batch call", "the update carried {@code If-Match}"). Secrets are redacted on the way in:
 * credential-bearing headers ({@code Authorization} keeps only its scheme) and query parameters
 * named like tokens, secrets, passwords or signatures. Bodies are not kept, only their size,
 * because token requests carry secrets in the body.
 *
 * <p>Thread-safe. Keeps the most recent {@value #DEFAULT_CAPACITY} entries by default so a long
 * load test does not grow memory without bound; {@link #totalCount()} still counts everything.
 */
public final class RequestJournal {

    public static final int DEFAULT_CAPACITY = 10_000;

    /** Redacted values are replaced by this text. */
    public static final String REDACTED = "<redacted>";

    private static final Set<String> SECRET_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key");
    private static final List<String> SECRET_WORDS = List.of("token", "secret", "password", "signature", "apikey", "api_key", "assertion");
    private static final Set<String> SECRET_PARAMS = Set.of("code", "key", "sig", "client_assertion");

    private final int capacity;
    private final Deque<JournalEntry> entries = new ArrayDeque<>();
    private long total;

    public RequestJournal() {
        this(DEFAULT_CAPACITY);
    }

    public RequestJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Records a request and the status it got; returns the entry. */
    public synchronized JournalEntry record(RequestView request, Instant receivedAt, int bodySize, int status, String fault) {
        total++;
        JournalEntry entry = new JournalEntry(total, receivedAt, request.method(), request.path(),
                redactQuery(request.query()), redactHeaders(request.headers()), bodySize, status, fault);
        entries.addLast(entry);
        if (entries.size() > capacity) {
            entries.removeFirst();
        }
        return entry;
    }

    /** A snapshot of the kept entries, oldest first. */
    public synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /** The kept entries matching {@code matcher}, oldest first. */
    public synchronized List<JournalEntry> matching(RequestMatcher matcher) {
        return entries.stream().filter(matcher::matches).toList();
    }

    /** How many kept entries match. */
    public synchronized int count(RequestMatcher matcher) {
        return (int) entries.stream().filter(matcher::matches).count();
    }

    /** How many requests were ever recorded, including ones no longer kept. */
    public synchronized long totalCount() {
        return total;
    }

    /** The latest entry, if any. */
    public synchronized Optional<JournalEntry> last() {
        return Optional.ofNullable(entries.peekLast());
    }

    /** Forgets the kept entries (the total count keeps counting). */
    public synchronized void clear() {
        entries.clear();
    }

    /** Entries after the one with this sequence number, for "what happened since" assertions. */
    public synchronized List<JournalEntry> since(long sequence) {
        return entries.stream().filter(e -> e.sequence() > sequence).toList();
    }

    static Map<String, List<String>> redactHeaders(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization") || lower.equals("proxy-authorization")) {
                out.put(lower, values.stream().map(RequestJournal::keepScheme).toList());
            } else if (SECRET_HEADERS.contains(lower) || containsSecretWord(lower)) {
                out.put(lower, values.stream().map(v -> REDACTED).toList());
            } else {
                out.put(lower, List.copyOf(values));
            }
        });
        return out;
    }

    static Map<String, List<String>> redactQuery(Map<String, List<String>> query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        query.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean secret = SECRET_PARAMS.contains(lower) || containsSecretWord(lower);
            out.put(name, secret ? values.stream().map(v -> REDACTED).toList() : List.copyOf(values));
        });
        return out;
    }

    private static boolean containsSecretWord(String lowerName) {
        String squashed = lowerName.replace("-", "_");
        return SECRET_WORDS.stream().anyMatch(squashed::contains);
    }

    private static String keepScheme(String value) {
        int space = value.indexOf(' ');
        return space < 0 ? REDACTED : value.substring(0, space) + " " + REDACTED;
    }
}
