package io.earshot.pipeline.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.pipeline.cli.EarshotCli;
import io.earshot.pipeline.corpus.CallMixer;
import io.earshot.pipeline.corpus.CallMixer.PlacedPhrase;
import io.earshot.pipeline.corpus.CallMixer.Settings;
import io.earshot.pipeline.corpus.PhraseRenderer;
import io.earshot.pipeline.corpus.PhraseRenderer.Phrase;
import io.earshot.pipeline.corpus.TtsVoice;
import io.earshot.pipeline.live.LogCapture;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rendered call in which the customer reads out a card number, a phone number and an
 * e-mail address, through {@code earshot analyze} with redaction on (the default) and off:
 * with it off the recogniser demonstrably heard every digit and word; with it on, neither the
 * command's output nor anything logged holds them, the placeholders stand in their place, and
 * every timing metric is the same. {@code segments} and {@code analyze}'s table
 * print the call's words too, and hold none of them either.
 */
class RedactionRenderedIT {

    /** Luhn-valid: the test below checks it independently. */
    static final String CARD = "5105105105105100";
    static final String PHONE = "6175550143";
    static final List<String> EMAIL_WORDS = List.of("john", "at", "example", "dot", "com");

    private static final String[] DIGIT_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine"};

    static final List<String[]> SCRIPT = List.of(
            new String[] {"AGENT", "thank you for calling northwind energy, how can i help you today."},
            new String[] {"CUSTOMER", "hello, i would like to pay my bill by card please."},
            new String[] {"AGENT", "of course, what is the card number."},
            new String[] {"CUSTOMER", "yes, it is " + heard(CARD)},
            new String[] {"AGENT", "thank you, and a phone number we can reach you on."},
            new String[] {"CUSTOMER", "yes, it is " + spokenPhone(PHONE)},
            new String[] {"AGENT", "and your email address please."},
            new String[] {"CUSTOMER", String.join(" ", EMAIL_WORDS)},
            new String[] {"AGENT", "great, you are all set, have a nice day."});

    /**
     * The customer, read a little slower than usual: the recogniser hears this voice's digits
     * right, where other synthetic voices lose "three" and "six" (and this one, in this call,
     * "four one" of a phone number).
     */
    static final TtsVoice CUSTOMER_VOICE = new TtsVoice(TtsVoice.Engine.FLITE, "kal", 0, 0.9);

    private static PhraseRenderer phrases;

    @TempDir
    static Path scratch;

    private static Path callFile;

    @BeforeAll
    static void renderCall() throws IOException {
        phrases = PhraseRenderer.inBuildCache();
        callFile = mix(phrases).write(scratch.resolve("call"), "redact").get(0);
    }

    /** The call of {@link #SCRIPT}: agent on the left, the customer 0.7 s after each agent line and so on. */
    static CallMixer.MixedCall mix(PhraseRenderer phrases) throws IOException {
        List<PlacedPhrase> placed = new ArrayList<>();
        int at = 400;
        for (String[] line : SCRIPT) {
            Role role = Role.valueOf(line[0]);
            TtsVoice voice = role == Role.AGENT ? TtsVoice.ESPEAK_US_F2 : CUSTOMER_VOICE;
            Phrase p = phrases.render(voice, line[1]);
            placed.add(new PlacedPhrase(role, at, p.samples()));
            at += p.durationMs() + 700;
        }
        Settings settings = new Settings(-22, -22, 30, 40, -58, SampleEncoding.PCMU,
                CallMixer.Layout.STEREO_AGENT_LEFT, 7L);
        return CallMixer.mix(placed, List.of(), at + 400, settings);
    }

    @AfterAll
    static void closeRenderer() {
        phrases.close();
    }

    /** "4539 1488 ..." as the customer reads it: digit words, groups of {@code group} apart by commas. */
    static String spoken(String digits, int group) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0) {
                b.append(i % group == 0 ? ", " : " ");
            }
            b.append(DIGIT_WORDS[digits.charAt(i) - '0']);
        }
        return b.toString();
    }

    /** A ten-digit phone number as people read it: area code, exchange, line, apart by commas. */
    static String spokenPhone(String digits) {
        return heard(digits.substring(0, 3)) + ", " + heard(digits.substring(3, 6)) + ", " + heard(digits.substring(6));
    }

    /** The digits' words without the pauses, as the recogniser writes them. */
    static String heard(String digits) {
        return spoken(digits, digits.length() + 1);
    }

    record Run(int exitCode, String out, String err, String logs) {
        String all() {
            return out + "\n" + err + "\n" + logs;
        }
    }

    private static Run analyze(String... extra) {
        List<String> args = new ArrayList<>(List.of("analyze", callFile.toString(), "--call-id", "redact-1",
                "--format", "json", "--asr-threads", "1"));
        args.addAll(List.of(extra));
        return run(args);
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (LogCapture log = new LogCapture()) {
            int code = EarshotCli.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString(), log.text());
        }
    }

    @Test
    void shouldKeepCardPhoneAndEmailOutOfAnalyzeOutputAndLogsWithTheSameMetrics() throws IOException {
        assertThat(luhn(CARD)).isTrue();
        Run off = analyze("--no-redaction");
        Run on = analyze();
        assertThat(off.exitCode()).as(off.err()).isZero();
        assertThat(on.exitCode()).as(on.err()).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode plain = json.readTree(off.out());
        JsonNode redacted = json.readTree(on.out());
        String plainText = transcriptText(plain);
        String redactedText = transcriptText(redacted);

        // positive evidence: the recogniser heard every digit, and the address (it writes "out" for this "at")
        assertThat(plainText).contains(heard(CARD), heard(PHONE), "john", "example dot com");
        assertThat(off.err()).contains("REDACTION IS OFF");
        assertThat(plain.get("redaction").asText()).isEqualTo("off");

        // with redaction on, none of it anywhere: output, errors, log lines
        for (String secret : secrets()) {
            assertThat(on.all()).as("redacted run holds %s", secret).doesNotContain(secret);
        }
        assertThat(redactedText).contains(" [card]".repeat(16).trim(), " [phone]".repeat(10).trim(),
                " [email]".repeat(EMAIL_WORDS.size()).trim());
        assertThat(redactedText).doesNotContain("john", "example");
        assertThat(redacted.get("redaction").asText()).isEqualTo("card,phone,email,id,digits>=8,trailing>=4");

        // the other outputs with a call's words: segments' word-timed transcript, analyze's table (backchannels, behaviours)
        Run segments = run(List.of("segments", callFile.toString(), "--asr-threads", "1"));
        Run table = run(List.of("analyze", callFile.toString(), "--call-id", "redact-2", "--format", "table",
                "--asr-threads", "1"));
        assertThat(segments.out()).contains("[card]", "[phone]", "[email]");
        for (Run r : List.of(segments, table)) {
            assertThat(r.exitCode()).as(r.err()).isZero();
            for (String secret : secrets()) {
                assertThat(r.all()).as("%s holds %s", r.out().lines().findFirst().orElse(""), secret)
                        .doesNotContain(secret);
            }
        }

        // the same timing metrics either way
        assertThat(timing(redacted)).isEqualTo(timing(plain));
    }

    /**
     * Every form in which the numbers and the address could leak: whole numerals, the digit
     * words of each group, the address's words. (Four-digit numerals alone are left out: media
     * positions in milliseconds contain them by chance.)
     */
    static List<String> secrets() {
        List<String> s = new ArrayList<>(List.of(CARD, PHONE, heard(CARD), heard(PHONE), "john", "example dot com",
                "john@example.com"));
        for (int g = 0; g < 4; g++) {
            s.add(heard(CARD.substring(4 * g, 4 * g + 4)));
        }
        s.add(heard(PHONE.substring(3, 6)) + " " + heard(PHONE.substring(6)));
        return s;
    }

    static String transcriptText(JsonNode summary) {
        List<String> texts = new ArrayList<>();
        summary.get("transcript").forEach(u -> texts.add(u.get("text").asText()));
        return String.join(" | ", texts);
    }

    /**
     * The summary's timing: talk, overlap, gaps, interruptions' and backchannels' times. Not the
     * word timings or speaking rate: two runs of the recogniser over the same call in one process
     * can place and split a few words differently (a pooled recogniser carries state from what it
     * heard before), redacted or not; that redaction keeps every word's timing is checked on the
     * redactor itself ({@code RedactorTest}).
     */
    static JsonNode timing(JsonNode summary) {
        ObjectNode t = new ObjectMapper().createObjectNode();
        for (String f : List.of("durationMs", "agentTalkMs", "customerTalkMs", "overlapMs", "silenceMs",
                "agentTalkShare", "responseGaps", "pauseIntrusions", "deadAir", "pauseRespectRate",
                "meanResponseGapMs", "agentInterruptions", "longestAgentMonologueMs", "longestCustomerStoryMs",
                "segments")) {
            t.set(f, summary.get(f));
        }
        t.set("interruptions", strip(summary.get("interruptions"), "byWords", "ofWords"));
        t.set("backchannels", strip(summary.get("backchannels"), "text"));
        return t;
    }

    private static JsonNode strip(JsonNode array, String... fields) {
        com.fasterxml.jackson.databind.node.ArrayNode out = new ObjectMapper().createArrayNode();
        array.forEach(n -> out.add(((ObjectNode) n.deepCopy()).without(List.of(fields))));
        return out;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            sum += i % 2 == 1 ? (d * 2) / 10 + (d * 2) % 10 : d;
        }
        return sum % 10 == 0;
    }
}
