package io.earshot.ingest.protocol.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The upgrade checks. Expected signatures are computed here from Twilio's documented algorithm
 * (base64 of HMAC-SHA1 over the full URL, keyed with the auth token), not with {@link TwilioAuth}.
 */
class TwilioAuthTest {

    private static final String AUTH_TOKEN = "12345678901234567890123456789012";
    private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);

    @Test
    void shouldAcceptTheSignatureTwilioComputesOverTheUrl() throws Exception {
        TwilioAuth auth = TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, AUTH_TOKEN), null);
        String url = "ws://ingest.local:8080/twilio";

        TwilioAuth.Verdict verdict = auth.verify(request(false, "ingest.local:8080", "/twilio", hmac(AUTH_TOKEN, url)));

        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.accountSid()).isNull();
    }

    @Test
    void shouldProduceTheSameSignatureAsTheDocumentedAlgorithmForAKnownVector() throws Exception {
        String url = "wss://example.com/twilio";
        assertThat(TwilioAuth.sign(AUTH_TOKEN, url)).isEqualTo(hmac(AUTH_TOKEN, url));
        assertThat(Base64.getDecoder().decode(TwilioAuth.sign(AUTH_TOKEN, url))).hasSize(20);
    }

    @Test
    void shouldRefuseAWrongTokenAnAlteredUrlAndAMissingHeader() throws Exception {
        TwilioAuth auth = TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, AUTH_TOKEN), null);
        String url = "ws://ingest.local:8080/twilio";

        assertThat(auth.verify(request(false, "ingest.local:8080", "/twilio", hmac("another-token", url))).accepted())
                .isFalse();
        assertThat(auth.verify(request(false, "ingest.local:8080", "/twilio?agentId=a-1", hmac(AUTH_TOKEN, url)))
                .accepted()).isFalse();
        assertThat(auth.verify(request(false, "evil.local:8080", "/twilio", hmac(AUTH_TOKEN, url))).accepted())
                .isFalse();
        assertThat(auth.verify(request(true, "ingest.local:8080", "/twilio", hmac(AUTH_TOKEN, url))).accepted())
                .isFalse();
        TwilioAuth.Verdict missing = auth.verify(request(false, "ingest.local:8080", "/twilio", null));
        assertThat(missing.accepted()).isFalse();
        assertThat(missing.detail()).contains("no X-Twilio-Signature");
    }

    @Test
    void shouldSignThePublicUrlBehindAProxyIncludingItsPrefixAndTheQuery() throws Exception {
        TwilioAuth auth = TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, AUTH_TOKEN),
                URI.create("wss://calls.example.com/earshot/"));
        String publicUrl = "wss://calls.example.com/earshot/twilio?x=1";

        assertThat(auth.verify(request(false, "10.0.0.5:8080", "/twilio?x=1", hmac(AUTH_TOKEN, publicUrl))).accepted())
                .isTrue();
        assertThat(auth.verify(request(false, "10.0.0.5:8080", "/twilio?x=1",
                hmac(AUTH_TOKEN, "ws://10.0.0.5:8080/twilio?x=1"))).accepted()).isFalse();
    }

    @Test
    void shouldAcceptTheUrlWithOrWithoutTheStandardPortAsTwilioLibrariesDo() throws Exception {
        TwilioAuth auth = TwilioAuth.signature(Map.of(TwilioAuth.ANY_ACCOUNT, AUTH_TOKEN),
                URI.create("wss://calls.example.com"));

        assertThat(auth.verify(request(false, "x", "/twilio", hmac(AUTH_TOKEN, "wss://calls.example.com:443/twilio")))
                .accepted()).isTrue();
        assertThat(auth.verify(request(false, "x", "/twilio", hmac(AUTH_TOKEN, "wss://calls.example.com:8443/twilio")))
                .accepted()).isFalse();
    }

    @Test
    void shouldNameTheAccountWhoseTokenSigned() throws Exception {
        String other = "AC" + "f".repeat(32);
        Map<String, String> accounts = new HashMap<>();
        accounts.put(ACCOUNT, AUTH_TOKEN);
        accounts.put(other, "token-of-other");
        TwilioAuth auth = TwilioAuth.signature(accounts, null);
        String url = "ws://h/twilio";

        assertThat(auth.verify(request(false, "h", "/twilio", hmac("token-of-other", url))).accountSid()).isEqualTo(other);
        assertThat(auth.verify(request(false, "h", "/twilio", hmac(AUTH_TOKEN, url))).accountSid()).isEqualTo(ACCOUNT);
    }

    @Test
    void shouldCompareTheSharedTokenFromHeaderOrQueryAndAcceptAnythingWithNone() {
        TwilioAuth token = TwilioAuth.token("s3cret");
        assertThat(token.verify(withHeader(TwilioAuth.TOKEN_HEADER, "s3cret")).accepted()).isTrue();
        assertThat(token.verify(withHeader(TwilioAuth.TOKEN_HEADER, "guess")).accepted()).isFalse();
        assertThat(token.verify(request(false, "h", "/twilio", null)).accepted()).isFalse();
        assertThat(TwilioAuth.none().verify(request(false, "h", "/twilio", null)).accepted()).isTrue();
    }

    @Test
    void shouldRefuseEmptySecretsAndAPublicUrlWithAQuery() {
        assertThatThrownBy(() -> TwilioAuth.signature(Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioAuth.signature(Map.of(ACCOUNT, ""), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioAuth.token("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TwilioAuth.signature(Map.of(ACCOUNT, AUTH_TOKEN), URI.create("wss://h/p?q=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String hmac(String key, String url) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(url.getBytes(StandardCharsets.UTF_8)));
    }

    private static TwilioAuth.Request request(boolean secure, String host, String pathQuery, String signature) {
        return new FakeRequest(secure, host, pathQuery,
                signature == null ? Map.of() : Map.of(TwilioAuth.SIGNATURE_HEADER, signature));
    }

    private static TwilioAuth.Request withHeader(String name, String value) {
        return new FakeRequest(false, "h", "/twilio", Map.of(name, value));
    }

    private record FakeRequest(boolean secure, String host, String pathQuery, Map<String, String> headers)
            implements TwilioAuth.Request {
        @Override
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String queryParameter(String name) {
            return null;
        }
    }
}
