package io.earshot.ingest.protocol.audiohook;

import io.earshot.ingest.protocol.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.protocol.audiohook.AudioHookAuth.Config;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth.Outcome;
import io.earshot.ingest.protocol.audiohook.AudioHookAuth.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signs upgrade requests the way the AudioHook specification describes (HTTP Message
 * Signatures, HMAC-SHA256 with the base64-decoded client secret, keyid = API key) — computed
 * here independently of the class under test — and checks each refusal has its own reason.
 */
class AudioHookAuthTest {

    private static final String API_KEY = "SGVsbG8sIEkgYW0gdGhlIEFQSSBrZXkh";
    private static final String SECRET = "TXlTdXBlclNlY3JldEtleVRlbGxOby0xITJAMyM0JDU=";
    private static final String TARGET = "/api/v1/audiohook/ws?tenant=acme";
    private static final Instant NOW = Instant.parse("2026-11-23T19:00:00Z");
    private static final String COMPONENTS = "(\"@request-target\" \"@authority\" \"audiohook-organization-id\" "
            + "\"audiohook-session-id\" \"audiohook-correlation-id\" \"x-api-key\")";

    private final MutableClock clock = new MutableClock(NOW);
    private final AudioHookAuth auth = new AudioHookAuth(
            Config.of(Map.of(API_KEY, SECRET)), clock);

    @Test
    void shouldAcceptARequestSignedWithTheClientSecret() {
        Result result = auth.verify("GET", TARGET, signed(API_KEY, SECRET, "VGhpc0lzQVJhbmRvbU5vbmNlMQ", NOW, NOW.plusSeconds(10)));

        assertThat(result.outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(result.accepted()).isTrue();
    }

    @Test
    void shouldAcceptHeaderNamesInAnyCase() {
        Map<String, String> headers = new LinkedHashMap<>();
        signed(API_KEY, SECRET, "nonce-case-1234567890ab", NOW, NOW.plusSeconds(10))
                .forEach((k, v) -> headers.put(k.toUpperCase(), v));

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRejectASignatureMadeWithTheWrongSecret() {
        String wrong = Base64.getEncoder().encodeToString("not the secret".getBytes(StandardCharsets.UTF_8));
        Result result = auth.verify("GET", TARGET, signed(API_KEY, wrong, "nonce-wrong-secret-0001", NOW, NOW.plusSeconds(10)));

        assertThat(result.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(result.httpStatus()).isEqualTo(401);
    }

    @Test
    void shouldRejectARequestWhoseSignedHeaderWasAlteredAfterSigning() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-tampered-00000001", NOW, NOW.plusSeconds(10));
        headers.put("Audiohook-Organization-Id", "00000000-0000-0000-0000-000000000001");

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectARequestForAnotherTarget() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-target-0000000001", NOW, NOW.plusSeconds(10));

        assertThat(auth.verify("GET", "/api/v1/audiohook/ws?tenant=evil", headers).outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectAStaleCreatedTime() {
        Instant created = NOW.minusSeconds(60);
        Result result = auth.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-stale-00000000001", created, null));

        assertThat(result.outcome()).isEqualTo(Outcome.STALE);
        assertThat(result.httpStatus()).isEqualTo(403);
    }

    @Test
    void shouldAcceptCreatedSlightlyAheadButRejectCreatedFarInTheFuture() {
        assertThat(auth.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-skew-ok-000000001", NOW.plusSeconds(2), null))
                .outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(auth.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-future-0000000001", NOW.plusSeconds(30), null))
                .outcome()).isEqualTo(Outcome.CREATED_IN_FUTURE);
    }

    @Test
    void shouldRejectAnExpiredSignature() {
        Instant created = NOW.minusSeconds(5);
        Result result = auth.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-expired-000000001", created, NOW.minusSeconds(1)));

        assertThat(result.outcome()).isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void shouldRejectAReplayedNonceButForgetItOnceTheSignatureCouldNoLongerBeAccepted() {
        Map<String, String> first = signed(API_KEY, SECRET, "nonce-replay-0000000001", NOW, NOW.plusSeconds(10));
        assertThat(auth.verify("GET", TARGET, first).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(auth.verify("GET", TARGET, first).outcome()).isEqualTo(Outcome.NONCE_REPLAYED);

        clock.advance(Duration.ofSeconds(30));
        Map<String, String> reusedLater = signed(API_KEY, SECRET, "nonce-replay-0000000001", clock.instant(), null);
        assertThat(auth.verify("GET", TARGET, reusedLater).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldNotLetAForgedRequestBurnANonce() {
        String wrong = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        assertThat(auth.verify("GET", TARGET, signed(API_KEY, wrong, "nonce-forged-0000000001", NOW, null)).outcome())
                .isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(auth.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-forged-0000000001", NOW, null)).outcome())
                .isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRejectAnUnknownKeyId() {
        Result result = auth.verify("GET", TARGET, signed("unknown-key", SECRET, "nonce-unknown-000000001", NOW, null));

        assertThat(result.outcome()).isEqualTo(Outcome.UNKNOWN_KEY_ID);
    }

    @Test
    void shouldRejectAKeyIdThatDiffersFromTheApiKeyHeader() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-mismatch-00000001", NOW, null);
        headers.put("Signature-Input", headers.get("Signature-Input").replace("keyid=\"" + API_KEY + "\"", "keyid=\"open-key\""));

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.KEY_ID_MISMATCH);
    }

    @Test
    void shouldRejectAMissingApiKeyHeader() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-noapikey-00000001", NOW, null);
        headers.remove("X-API-KEY");

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.MISSING_API_KEY);
    }

    @Test
    void shouldRejectAMissingSignatureHeader() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-nosig-00000000001", NOW, null);
        headers.remove("Signature");

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.MISSING_SIGNATURE);
    }

    @Test
    void shouldRejectASignedRequestLackingACoveredHeader() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-nosession-0000001", NOW, null);
        headers.remove("Audiohook-Session-Id");

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.COMPONENT_MISSING);
    }

    @Test
    void shouldRejectASignatureThatDoesNotCoverTheRequiredComponents() {
        String input = "(\"@request-target\" \"@authority\" \"x-api-key\");keyid=\"" + API_KEY
                + "\";nonce=\"nonce-partial-000000001\";alg=\"hmac-sha256\";created=" + NOW.getEpochSecond();
        Map<String, String> headers = headers(API_KEY);
        String base = "\"@request-target\": " + TARGET + "\n\"@authority\": audiohook.example.com\n\"x-api-key\": "
                + API_KEY + "\n\"@signature-params\": " + input;
        headers.put("Signature-Input", "sig1=" + input);
        headers.put("Signature", "sig1=:" + hmac(SECRET, base) + ":");

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.COMPONENT_NOT_COVERED);
    }

    @Test
    void shouldRejectAMissingNonceAndAnUnsupportedAlgorithm() {
        Map<String, String> noNonce = signed(API_KEY, SECRET, null, NOW, null);
        assertThat(auth.verify("GET", TARGET, noNonce).outcome()).isEqualTo(Outcome.MISSING_NONCE);

        Map<String, String> rsa = signed(API_KEY, SECRET, "nonce-alg-0000000000001", NOW, null);
        rsa.put("Signature-Input", rsa.get("Signature-Input").replace("hmac-sha256", "rsa-pss-sha512"));
        assertThat(auth.verify("GET", TARGET, rsa).outcome()).isEqualTo(Outcome.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void shouldRejectAGarbledSignatureInput() {
        Map<String, String> headers = signed(API_KEY, SECRET, "nonce-garbled-000000001", NOW, null);
        headers.put("Signature-Input", "sig1=\"@request-target\";keyid=" + API_KEY);

        assertThat(auth.verify("GET", TARGET, headers).outcome()).isEqualTo(Outcome.MALFORMED_SIGNATURE);
    }

    @Test
    void shouldRefuseAKeyConfiguredWithoutSecretAndAnUnsignedRequest() {
        assertThatThrownBy(() -> Config.of(Map.of("open-key", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("open-key")
                .hasMessageContaining("empty");
        assertThat(auth.verify("GET", TARGET, headers(API_KEY)).outcome()).isEqualTo(Outcome.MISSING_SIGNATURE);
    }

    @Test
    void shouldCheckTheSignatureBeforeTheClockSoAForgerLearnsNothingOfTheServersTime() {
        String wrong = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});

        Result staleForged = auth.verify("GET", TARGET, signed(API_KEY, wrong, "nonce-clock-00000000001",
                NOW.minusSeconds(600), null));
        Result futureForged = auth.verify("GET", TARGET, signed(API_KEY, wrong, "nonce-clock-00000000002",
                NOW.plusSeconds(600), null));

        assertThat(staleForged.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(futureForged.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    }

    @Test
    void shouldRefuseAnUnknownKeyExactlyAsABadSignatureWhateverItsTimes() {
        Result unknown = auth.verify("GET", TARGET, signed("unknown-key", SECRET, "nonce-enum-000000000001",
                NOW.minusSeconds(600), null));
        Result forged = auth.verify("GET", TARGET, signed(API_KEY, Base64.getEncoder().encodeToString(new byte[] {9}),
                "nonce-enum-000000000002", NOW, null));

        assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN_KEY_ID);
        assertThat(unknown.httpStatus()).isEqualTo(forged.httpStatus()).isEqualTo(401);
    }

    @Test
    void shouldRefuseNewRequestsRatherThanForgetANonceStillInsideItsWindow() {
        AudioHookAuth small = new AudioHookAuth(new Config(Map.of(API_KEY, SECRET), AudioHookAuth.DEFAULT_MAX_SKEW,
                AudioHookAuth.DEFAULT_MAX_AGE, 2), clock);
        Map<String, String> first = signed(API_KEY, SECRET, "nonce-full-000000000001", NOW, null);
        assertThat(small.verify("GET", TARGET, first).outcome()).isEqualTo(Outcome.ACCEPTED);
        assertThat(small.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-full-000000000002", NOW, null))
                .outcome()).isEqualTo(Outcome.ACCEPTED);

        Result third = small.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-full-000000000003", NOW, null));

        assertThat(third.outcome()).isEqualTo(Outcome.REPLAY_CACHE_FULL);
        assertThat(third.httpStatus()).isEqualTo(503);
        assertThat(small.verify("GET", TARGET, first).outcome()).isEqualTo(Outcome.NONCE_REPLAYED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(small.verify("GET", TARGET, signed(API_KEY, SECRET, "nonce-full-000000000003", clock.instant(),
                null)).outcome()).isEqualTo(Outcome.ACCEPTED);
    }

    // ---- signing as the specification describes ---------------------------------------------

    private static Map<String, String> headers(String apiKey) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "audiohook.example.com");
        h.put("Audiohook-Organization-Id", "d7934305-0972-4844-938e-9060eef73d05");
        h.put("Audiohook-Correlation-Id", "e160e428-53e2-487c-977d-96989bf5c99d");
        h.put("Audiohook-Session-Id", "30b0e395-84d3-4570-ac13-9a62d8f514c0");
        h.put("X-API-KEY", apiKey);
        return h;
    }

    private static Map<String, String> signed(String apiKey, String secret, String nonce, Instant created, Instant expires) {
        Map<String, String> h = headers(apiKey);
        String params = COMPONENTS + ";keyid=\"" + apiKey + "\""
                + (nonce == null ? "" : ";nonce=\"" + nonce + "\"")
                + ";alg=\"hmac-sha256\";created=" + created.getEpochSecond()
                + (expires == null ? "" : ";expires=" + expires.getEpochSecond());
        String base = "\"@request-target\": " + TARGET + "\n"
                + "\"@authority\": audiohook.example.com\n"
                + "\"audiohook-organization-id\": d7934305-0972-4844-938e-9060eef73d05\n"
                + "\"audiohook-session-id\": 30b0e395-84d3-4570-ac13-9a62d8f514c0\n"
                + "\"audiohook-correlation-id\": e160e428-53e2-487c-977d-96989bf5c99d\n"
                + "\"x-api-key\": " + apiKey + "\n"
                + "\"@signature-params\": " + params;
        h.put("Signature-Input", "sig1=" + params);
        h.put("Signature", "sig1=:" + hmac(secret, base) + ":");
        return h;
    }

    private static String hmac(String base64Secret, String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Secret), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
