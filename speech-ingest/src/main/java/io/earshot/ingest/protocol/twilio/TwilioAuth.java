package io.earshot.ingest.protocol.twilio;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides whether a WebSocket upgrade on the Twilio path may open a stream.
 *
 * <ul>
 *   <li>{@link Mode#SIGNATURE}: Twilio signs every request it makes, the Media Streams WebSocket
 *   upgrade included, with the {@value #SIGNATURE_HEADER} header: base64 of HMAC-SHA1, keyed with
 *   the account's auth token, over the full URL Twilio requested (scheme, host, path and query;
 *   a GET has no form parameters to append). The URL is the one Twilio saw, which behind a
 *   TLS-terminating proxy differs from the one this server sees: {@code publicUrl} names the
 *   scheme, host and any path prefix Twilio uses, and the request's path and query are appended.
 *   Without it the URL is rebuilt from the request ({@code ws}/{@code wss}, the Host header).
 *   Like Twilio's own helper libraries, the URL is tried with and without the scheme's standard
 *   port. Several accounts may be configured; the one whose token matches is returned, so the
 *   session can require that the stream's {@code start.accountSid} is that account.
 *   Comparison is constant-time per token.</li>
 *   <li>{@link Mode#TOKEN}: a shared token that a proxy in front of this server adds, in the
 *   {@value #TOKEN_HEADER} header or the {@value #TOKEN_PARAMETER} query parameter.</li>
 *   <li>{@link Mode#NONE}: every upgrade is accepted; only for a trusted network.</li>
 * </ul>
 */
public final class TwilioAuth {

    public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
    public static final String TOKEN_HEADER = "X-Earshot-Token";
    public static final String TOKEN_PARAMETER = "token";
    /** The key under which an auth token of an account whose SID is not configured is held. */
    public static final String ANY_ACCOUNT = "";

    /** How upgrades are authenticated. */
    public enum Mode { SIGNATURE, TOKEN, NONE }

    /**
     * What {@link #verify} decided.
     *
     * @param accountSid the account whose auth token signed the request; {@code null} when any
     *                   account is allowed (token, none, or an auth token configured without its SID)
     * @param detail     why it was refused, for the log only
     */
    public record Verdict(boolean accepted, String accountSid, String detail) {
        static Verdict accept(String accountSid) {
            return new Verdict(true, accountSid, null);
        }

        static Verdict refuse(String detail) {
            return new Verdict(false, null, detail);
        }
    }

    /** The parts of an upgrade request the check reads. */
    public interface Request {
        /** The header's value, or null. */
        String header(String name);

        /** The query parameter's value, or null. */
        String queryParameter(String name);

        /** {@code true} when the request came over TLS to this server. */
        boolean secure();

        /** The request's Host header (host and port as the client wrote them). */
        String host();

        /** The raw path and query ({@code /twilio?x=1}) as received. */
        String pathQuery();
    }

    private final Mode mode;
    private final Map<String, byte[]> authTokens;
    private final String publicBase;
    private final byte[] sharedToken;

    private TwilioAuth(Mode mode, Map<String, byte[]> authTokens, String publicBase, byte[] sharedToken) {
        this.mode = mode;
        this.authTokens = authTokens;
        this.publicBase = publicBase;
        this.sharedToken = sharedToken;
    }

    /**
     * @param authTokensByAccount auth token by account SID ({@link #ANY_ACCOUNT} for one whose SID is not
     *                            pinned); none may be empty
     * @param publicUrl           the scheme, host and path prefix Twilio connects to, e.g.
     *                            {@code wss://ingest.example.com}; null to use the request's own
     */
    public static TwilioAuth signature(Map<String, String> authTokensByAccount, URI publicUrl) {
        if (authTokensByAccount.isEmpty()) {
            throw new IllegalArgumentException("signature checks need at least one auth token");
        }
        Map<String, byte[]> tokens = new LinkedHashMap<>();
        authTokensByAccount.forEach((sid, token) -> {
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("empty auth token for account '" + sid + "'");
            }
            tokens.put(sid, token.getBytes(StandardCharsets.UTF_8));
        });
        String base = null;
        if (publicUrl != null) {
            String scheme = publicUrl.getScheme() == null ? "" : publicUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!List.of("ws", "wss", "http", "https").contains(scheme) || publicUrl.getRawAuthority() == null
                    || publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("publicUrl must be wss://host[:port][/prefix] (or ws://), not "
                        + publicUrl);
            }
            base = publicUrl.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
        }
        return new TwilioAuth(Mode.SIGNATURE, Map.copyOf(tokens), base, null);
    }

    /** Upgrades must carry this shared token (not empty). */
    public static TwilioAuth token(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the shared token is empty");
        }
        return new TwilioAuth(Mode.TOKEN, Map.of(), null, token.getBytes(StandardCharsets.UTF_8));
    }

    /** Every upgrade is accepted: only behind something that authenticates Twilio for us. */
    public static TwilioAuth none() {
        return new TwilioAuth(Mode.NONE, Map.of(), null, null);
    }

    public Mode mode() {
        return mode;
    }

    /** Checks one upgrade request. */
    public Verdict verify(Request request) {
        return switch (mode) {
            case NONE -> Verdict.accept(null);
            case TOKEN -> verifyToken(request);
            case SIGNATURE -> verifySignature(request);
        };
    }

    private Verdict verifyToken(Request request) {
        String given = request.header(TOKEN_HEADER);
        if (given == null) {
            given = request.queryParameter(TOKEN_PARAMETER);
        }
        if (given == null) {
            return Verdict.refuse("no stream token");
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), sharedToken)
                ? Verdict.accept(null) : Verdict.refuse("wrong stream token");
    }

    private Verdict verifySignature(Request request) {
        String given = request.header(SIGNATURE_HEADER);
        if (given == null || given.isEmpty()) {
            return Verdict.refuse("no " + SIGNATURE_HEADER + " header");
        }
        byte[] givenBytes = given.trim().getBytes(StandardCharsets.US_ASCII);
        List<String> urls = candidateUrls(signedUrl(request));
        String matched = null;
        boolean any = false;
        // every token and every URL variant is computed, so the time taken does not say which matched
        for (Map.Entry<String, byte[]> account : authTokens.entrySet()) {
            for (String url : urls) {
                byte[] expected = signature(account.getValue(), url).getBytes(StandardCharsets.US_ASCII);
                if (MessageDigest.isEqual(expected, givenBytes) && !any) {
                    any = true;
                    matched = account.getKey();
                }
            }
        }
        if (!any) {
            return Verdict.refuse("bad " + SIGNATURE_HEADER + " for " + urls.get(0));
        }
        return Verdict.accept(ANY_ACCOUNT.equals(matched) ? null : matched);
    }

    /** The URL Twilio requested, as far as this server can know it. */
    String signedUrl(Request request) {
        String pathQuery = request.pathQuery() == null ? "" : request.pathQuery();
        if (publicBase != null) {
            return publicBase + pathQuery;
        }
        String host = request.host() == null ? "" : request.host();
        return (request.secure() ? "wss" : "ws") + "://" + host + pathQuery;
    }

    /** The URL as given, then with the standard port added or removed. */
    static List<String> candidateUrls(String url) {
        List<String> out = new ArrayList<>(2);
        out.add(url);
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            int standard = scheme.equals("wss") || scheme.equals("https") ? 443
                    : scheme.equals("ws") || scheme.equals("http") ? 80 : -1;
            String authority = u.getRawAuthority();
            if (standard < 0 || authority == null || u.getHost() == null) {
                return out;
            }
            int at = url.indexOf(authority);
            String other;
            if (u.getPort() == standard) {
                other = authority.substring(0, authority.length() - (":" + standard).length());
            } else if (u.getPort() == -1) {
                other = authority + ":" + standard;
            } else {
                return out;
            }
            out.add(url.substring(0, at) + other + url.substring(at + authority.length()));
        } catch (IllegalArgumentException e) {
            // a URL that does not parse is tried only as it is
        }
        return out;
    }

    /** Base64 of HMAC-SHA1 over the URL's UTF-8 bytes, keyed with the auth token: Twilio's signature of a GET. */
    public static String sign(String authToken, String url) {
        Objects.requireNonNull(authToken, "authToken");
        return signature(authToken.getBytes(StandardCharsets.UTF_8), url);
    }

    private static String signature(byte[] key, String url) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
