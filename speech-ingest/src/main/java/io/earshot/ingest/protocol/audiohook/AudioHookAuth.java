package io.earshot.ingest.protocol.audiohook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates the HTTP upgrade request that starts an AudioHook session, before the
 * WebSocket is accepted.
 *
 * <p>Genesys Cloud sends the integration's API key in {@code X-API-KEY} and signs the request
 * with HTTP Message Signatures (draft-ietf-httpbis-message-signatures, now RFC 9421):
 * {@code Signature-Input: sig1=("@request-target" "@authority" "audiohook-organization-id"
 * "audiohook-session-id" "audiohook-correlation-id" "x-api-key");keyid="<api key>";nonce="...";
 * alg="hmac-sha256";created=...;expires=...} and {@code Signature: sig1=:<base64>:}, an
 * HMAC-SHA256 keyed with the base64-decoded client secret over the signature base: one line
 * {@code "<component>": <value>} per covered component, then
 * {@code "@signature-params": <the inner list and parameters as sent>}, joined by LF.
 *
 * <p>Checks, in order, each failing with its own {@link Outcome}: API key header present;
 * signature headers present (always: unlike the reference implementation, no API key may
 * connect unsigned, and a key with an empty secret is a configuration error); headers parse; {@code alg}, if given, is
 * {@code hmac-sha256}; {@code keyid} equals the API key and is configured; the required
 * components are covered and present; {@code nonce} and {@code created} are present;
 * {@code created} is not in the future beyond {@link #DEFAULT_MAX_SKEW}, not older than
 * {@link #DEFAULT_MAX_AGE}; {@code expires} has not passed; the HMAC matches (constant-time);
 * the nonce has not been seen for this key while a signature carrying it could still be
 * accepted. Nonces are recorded only after the HMAC verified, so forged requests cannot fill
 * the bounded replay cache; expired nonces leave it, and when it is still full the upgrade is
 * refused ({@link Outcome#REPLAY_CACHE_FULL}) rather than forgetting a nonce that could be
 * replayed. Size it to the window at the expected upgrade rate (serve: {@code
 * audiohook.maxUpgradesPerSecond} times skew plus age).
 *
 * <p>Instances are thread-safe (the replay cache is synchronised).
 */
public final class AudioHookAuth {

    /** Tolerated clock difference between Genesys and this server. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(3);
    /** Oldest {@code created} accepted; Genesys signs immediately before connecting. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(10);
    /** Nonces remembered at most when no size is given: 13 s of window at about 770 upgrades a second. */
    public static final int DEFAULT_REPLAY_CACHE_SIZE = 10_000;

    /** Components every AudioHook signature must cover. */
    public static final List<String> REQUIRED_COMPONENTS = List.of(
            "@request-target", "@authority", "audiohook-organization-id",
            "audiohook-session-id", "audiohook-correlation-id", "x-api-key");

    /** Why a request was accepted or refused; {@link #httpStatus()} is the upgrade response. */
    public enum Outcome {
        ACCEPTED(101),
        MISSING_API_KEY(401),
        MISSING_SIGNATURE(401),
        MALFORMED_SIGNATURE(401),
        UNSUPPORTED_ALGORITHM(401),
        KEY_ID_MISMATCH(401),
        UNKNOWN_KEY_ID(401),
        COMPONENT_NOT_COVERED(401),
        COMPONENT_MISSING(401),
        MISSING_NONCE(401),
        MISSING_CREATED(401),
        BAD_SIGNATURE(401),
        /** Genuine credentials, but the request is not fresh: refused rather than unauthenticated. */
        CREATED_IN_FUTURE(403),
        STALE(403),
        EXPIRED(403),
        NONCE_REPLAYED(403),
        /**
         * Every nonce in the replay cache is still inside its window: forgetting one would let it
         * be replayed, so the request is refused until nonces expire.
         */
        REPLAY_CACHE_FULL(503);

        private final int httpStatus;

        Outcome(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    /** The verdict and a human-readable detail (for logs; do not echo secrets to clients). */
    public record Result(Outcome outcome, String detail) {
        public boolean accepted() {
            return outcome == Outcome.ACCEPTED;
        }

        public int httpStatus() {
            return outcome.httpStatus();
        }
    }

    /** Configuration: client secrets (base64, as shown in Genesys) by API key, and the time limits. */
    public record Config(Map<String, String> clientSecretsByApiKey, Duration maxSkew, Duration maxAge,
                         int replayCacheSize) {
        public Config {
            clientSecretsByApiKey = Map.copyOf(clientSecretsByApiKey);
            clientSecretsByApiKey.forEach((key, secret) -> {
                if (secret == null || Base64.getDecoder().decode(secret).length == 0) {
                    // an empty secret would accept requests anyone can sign
                    throw new IllegalArgumentException("API key " + key + ": the client secret is empty");
                }
            });
            Objects.requireNonNull(maxSkew);
            Objects.requireNonNull(maxAge);
        }

        public static Config of(Map<String, String> clientSecretsByApiKey) {
            return new Config(clientSecretsByApiKey, DEFAULT_MAX_SKEW, DEFAULT_MAX_AGE, DEFAULT_REPLAY_CACHE_SIZE);
        }
    }

    private final Map<String, byte[]> secrets;
    private final Config config;
    private final Clock clock;
    private final LinkedHashMap<String, Instant> seenNonces = new LinkedHashMap<>();
    /** Signs requests for unknown keys, so they cost what a known key's do and fail the same way. */
    private final byte[] unknownKeySecret = new byte[32];

    public AudioHookAuth(Config config, Clock clock) {
        this.config = config;
        this.clock = clock;
        Map<String, byte[]> decoded = new TreeMap<>();
        config.clientSecretsByApiKey().forEach((k, v) -> decoded.put(k, Base64.getDecoder().decode(v)));
        this.secrets = Map.copyOf(decoded);
        new java.security.SecureRandom().nextBytes(unknownKeySecret);
    }

    /**
     * Verifies one upgrade request.
     *
     * @param method  HTTP method ("GET")
     * @param target  request target as received: path plus query ({@code /audiohook?x=1})
     * @param headers request headers; names are matched case-insensitively
     */
    public Result verify(String method, String target, Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, v == null ? null : v.trim()));
        String apiKey = h.get("x-api-key");
        if (apiKey == null || apiKey.isEmpty()) {
            return fail(Outcome.MISSING_API_KEY, "No X-API-KEY header");
        }
        String input = h.get("signature-input");
        String signature = h.get("signature");
        if (input == null && signature == null) {
            return fail(Outcome.MISSING_SIGNATURE, "No Signature/Signature-Input headers");
        }
        if (input == null || signature == null) {
            return fail(Outcome.MISSING_SIGNATURE, "Only one of Signature and Signature-Input present");
        }
        SignatureInput parsed;
        byte[] signatureBytes;
        try {
            parsed = SignatureInput.parse(input);
            signatureBytes = parseSignature(signature, parsed.label());
        } catch (IllegalArgumentException e) {
            return fail(Outcome.MALFORMED_SIGNATURE, e.getMessage());
        }
        Map<String, Object> params = parsed.params();
        Object alg = params.get("alg");
        if (alg != null && !"hmac-sha256".equals(alg)) {
            return fail(Outcome.UNSUPPORTED_ALGORITHM, "alg " + alg);
        }
        if (!(params.get("keyid") instanceof String keyId)) {
            return fail(Outcome.MALFORMED_SIGNATURE, "missing keyid");
        }
        if (!keyId.equals(apiKey)) {
            return fail(Outcome.KEY_ID_MISMATCH, "keyid does not match X-API-KEY");
        }
        byte[] known = secrets.get(keyId);
        byte[] secret = known != null ? known : unknownKeySecret;
        for (String required : REQUIRED_COMPONENTS) {
            if (!parsed.components().contains(required)) {
                return fail(Outcome.COMPONENT_NOT_COVERED, "signature does not cover " + required);
            }
        }
        if (!(params.get("nonce") instanceof String nonce) || nonce.isEmpty()) {
            return fail(Outcome.MISSING_NONCE, "no nonce parameter");
        }
        if (!(params.get("created") instanceof Long created)) {
            return fail(Outcome.MISSING_CREATED, "no integer created parameter");
        }
        StringBuilder base = new StringBuilder();
        for (String component : parsed.components()) {
            String value = componentValue(component, method, target, h);
            if (value == null) {
                return fail(Outcome.COMPONENT_MISSING, "covered component " + component + " not in request");
            }
            base.append('"').append(component).append("\": ").append(value).append('\n');
        }
        base.append("\"@signature-params\": ").append(parsed.serializedParams());
        // The signature is checked before anything that depends on the key or the clock: a
        // caller without the secret learns neither whether its key exists nor what time it is here.
        byte[] expected = hmacSha256(secret, base.toString());
        boolean signed = MessageDigest.isEqual(expected, signatureBytes);
        if (known == null) {
            return fail(Outcome.UNKNOWN_KEY_ID, "keyid not configured");
        }
        if (!signed) {
            return fail(Outcome.BAD_SIGNATURE, "HMAC mismatch");
        }
        Instant now = clock.instant();
        Instant createdAt = Instant.ofEpochSecond(created);
        if (createdAt.isAfter(now.plus(config.maxSkew()))) {
            return fail(Outcome.CREATED_IN_FUTURE, "created " + createdAt + " is after " + now);
        }
        Instant acceptUntil = createdAt.plus(config.maxAge()).plus(config.maxSkew());
        if (now.isAfter(acceptUntil)) {
            return fail(Outcome.STALE, "created " + createdAt + " older than " + config.maxAge());
        }
        if (params.containsKey("expires")) {
            if (!(params.get("expires") instanceof Long expires)) {
                return fail(Outcome.MALFORMED_SIGNATURE, "expires is not an integer");
            }
            Instant expiresAt = Instant.ofEpochSecond(expires);
            if (!now.isBefore(expiresAt)) {
                return fail(Outcome.EXPIRED, "expired at " + expiresAt);
            }
            if (expiresAt.isBefore(acceptUntil)) {
                acceptUntil = expiresAt;
            }
        }
        Boolean fresh = rememberNonce(keyId + '\n' + nonce, now, acceptUntil);
        if (fresh == null) {
            return fail(Outcome.REPLAY_CACHE_FULL, "replay cache full of unexpired nonces");
        }
        if (!fresh) {
            return fail(Outcome.NONCE_REPLAYED, "nonce already used");
        }
        return new Result(Outcome.ACCEPTED, "signature verified");
    }

    /** Builds the RFC 9421 signature base; public so clients (and tests) can sign the same way. */
    public static String signatureBase(List<String> components, String serializedParams,
                                       String method, String target, Map<String, String> headers) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        StringBuilder base = new StringBuilder();
        for (String component : components) {
            base.append('"').append(component).append("\": ")
                    .append(componentValue(component, method, target, h)).append('\n');
        }
        return base.append("\"@signature-params\": ").append(serializedParams).toString();
    }

    /** HMAC-SHA256 of the UTF-8 text. */
    public static byte[] hmacSha256(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty secret is a valid HMAC key (zero-padded); SecretKeySpec refuses length 0.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** True when the nonce is new (and now remembered), false when seen, null when the cache is full. */
    private synchronized Boolean rememberNonce(String key, Instant now, Instant keepUntil) {
        for (Iterator<Map.Entry<String, Instant>> it = seenNonces.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue().isBefore(now)) {
                it.remove();
            }
        }
        if (seenNonces.containsKey(key)) {
            return false;
        }
        if (seenNonces.size() >= config.replayCacheSize()) {
            return null;
        }
        seenNonces.put(key, keepUntil);
        return true;
    }

    private static String componentValue(String component, String method, String target, Map<String, String> h) {
        int q = target.indexOf('?');
        switch (component) {
            case "@method":
                return method.toUpperCase(Locale.ROOT);
            case "@request-target":
                return target;
            case "@path":
                return q < 0 ? target : target.substring(0, q);
            case "@query":
                return q < 0 ? "?" : target.substring(q);
            case "@authority":
                String host = h.get("host");
                return host == null ? null : host.toLowerCase(Locale.ROOT);
            default:
                if (component.startsWith("@")) {
                    return null;
                }
                return h.get(component);
        }
    }

    private static byte[] parseSignature(String header, String label) {
        for (String member : header.split(",")) {
            String m = member.trim();
            int eq = m.indexOf('=');
            if (eq > 0 && m.substring(0, eq).equals(label)) {
                String v = m.substring(eq + 1).trim();
                if (v.length() < 2 || v.charAt(0) != ':' || v.charAt(v.length() - 1) != ':') {
                    throw new IllegalArgumentException("Signature value is not a byte sequence");
                }
                try {
                    return Base64.getDecoder().decode(v.substring(1, v.length() - 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Signature value is not base64");
                }
            }
        }
        throw new IllegalArgumentException("No signature with label " + label);
    }

    private static Result fail(Outcome outcome, String detail) {
        return new Result(outcome, detail);
    }

    /**
     * The first member of a {@code Signature-Input} dictionary: its label, the covered
     * components and the signature parameters, plus the exact serialisation that goes into the
     * {@code @signature-params} line (re-serialised from the parsed values, so padding tricks
     * in the header cannot change what is signed).
     */
    record SignatureInput(String label, List<String> components, Map<String, Object> params,
                          String serializedParams) {

        private static final Set<String> KNOWN_PARAMS = Set.of("alg", "created", "expires", "keyid", "nonce", "tag");

        static SignatureInput parse(String header) {
            Cursor c = new Cursor(header.trim());
            String label = c.key();
            c.expect('=');
            c.expect('(');
            List<String> components = new ArrayList<>();
            c.skipSpaces();
            while (!c.peek(')')) {
                String name = c.string();
                if (c.peek(';')) {
                    throw new IllegalArgumentException("component parameters are not supported: " + name);
                }
                if (components.contains(name)) {
                    throw new IllegalArgumentException("duplicate component " + name);
                }
                components.add(name);
                c.skipSpaces();
            }
            c.expect(')');
            Map<String, Object> params = new LinkedHashMap<>();
            while (c.peek(';')) {
                c.expect(';');
                String key = c.key();
                if (!KNOWN_PARAMS.contains(key) || params.containsKey(key)) {
                    throw new IllegalArgumentException("unknown or repeated signature parameter " + key);
                }
                c.expect('=');
                params.put(key, c.peekQuote() ? c.string() : (Object) c.integer());
            }
            if (!c.atEnd() && !c.peek(',')) {
                throw new IllegalArgumentException("trailing characters in Signature-Input");
            }
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < components.size(); i++) {
                s.append(i == 0 ? "" : " ").append('"').append(components.get(i)).append('"');
            }
            s.append(')');
            params.forEach((k, v) -> s.append(';').append(k).append('=')
                    .append(v instanceof String str ? '"' + str + '"' : v.toString()));
            return new SignatureInput(label, List.copyOf(components), params, s.toString());
        }
    }

    /** A tiny cursor over the subset of RFC 8941 structured fields used here. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        boolean peek(char ch) {
            return i < s.length() && s.charAt(i) == ch;
        }

        boolean peekQuote() {
            return peek('"');
        }

        void skipSpaces() {
            while (peek(' ')) {
                i++;
            }
        }

        void expect(char ch) {
            if (!peek(ch)) {
                throw new IllegalArgumentException("expected '" + ch + "' at " + i + " in Signature-Input");
            }
            i++;
        }

        String key() {
            int start = i;
            while (i < s.length() && (Character.isLowerCase(s.charAt(i)) || Character.isDigit(s.charAt(i))
                    || "_-.*".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("expected a key at " + start + " in Signature-Input");
            }
            return s.substring(start, i);
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (!peek('"')) {
                if (atEnd()) {
                    throw new IllegalArgumentException("unterminated string in Signature-Input");
                }
                char ch = s.charAt(i++);
                if (ch == '\\' || ch < 0x20 || ch > 0x7e) {
                    throw new IllegalArgumentException("unsupported character in Signature-Input string");
                }
                b.append(ch);
            }
            i++;
            return b.toString();
        }

        long integer() {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i || i - start > 15) {
                throw new IllegalArgumentException("expected an integer at " + start + " in Signature-Input");
            }
            return Long.parseLong(s.substring(start, i));
        }
    }
}
