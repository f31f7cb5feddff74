package io.earshot.ingest.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private final Redactor redactor = Redactor.defaults();

    private static Utterance said(long startMs, String text) {
        List<Word> words = new ArrayList<>();
        long t = startMs;
        for (String w : text.split(" ")) {
            words.add(new Word(w, t, t + 250, 0.8));
            t += 300;
        }
        return new Utterance(Role.CUSTOMER, startMs, t - 50, text, words, true);
    }

    @Test
    void shouldReplaceEachMatchedWordKeepingItsTimingAndConfidence() {
        Utterance in = said(1000, "my card is four one one one one one one one one one one one one one one one thanks");

        Utterance out = redactor.speaker().next(in);

        assertThat(out.text()).isEqualTo("my card is" + " [card]".repeat(16) + " thanks");
        assertThat(out.startMs()).isEqualTo(in.startMs());
        assertThat(out.endMs()).isEqualTo(in.endMs());
        for (int i = 0; i < in.words().size(); i++) {
            assertThat(out.words().get(i).startMs()).isEqualTo(in.words().get(i).startMs());
            assertThat(out.words().get(i).endMs()).isEqualTo(in.words().get(i).endMs());
            assertThat(out.words().get(i).conf()).isEqualTo(in.words().get(i).conf());
        }
    }

    @Test
    void shouldJudgeACardReadAcrossUtterancesWhole() {
        Redactor.Speaker s = redactor.speaker();

        List<String> out = List.of(
                s.next(said(0, "it's four one one one")).text(),
                s.next(said(3000, "one one one one")).text(),
                s.next(said(6000, "one one one one")).text(),
                s.next(said(9000, "one one one one")).text());

        assertThat(out).containsExactly("it's [digits] [digits] [digits] [digits]",
                "[digits] [digits] [digits] [digits]", "[digits] [digits] [digits] [digits]",
                "[card] [card] [card] [card]");
    }

    @Test
    void shouldNotJoinRunsFurtherApartThanTheJoinGap() {
        Redactor.Speaker s = redactor.speaker();
        s.next(said(0, "option one two"));

        assertThat(s.next(said(60_000, "three four okay")).text()).isEqualTo("three four okay");
    }

    @Test
    void shouldRedactTheTextOfAnUtteranceWithoutWords() {
        Utterance partial = new Utterance(Role.AGENT, 0, 900, "call me on five five five one two three four", List.of(),
                false);

        assertThat(redactor.speaker().next(partial).text())
                .isEqualTo("call me on [phone] [phone] [phone] [phone] [phone] [phone] [phone]");
    }

    @Test
    void shouldRedactSpokenAndLiteralEmailAddresses() {
        assertThat(redactor.redactWords(List.of("it's", "john", "dot", "smith", "at", "example", "dot", "com", "ok")))
                .containsExactly("it's", "[email]", "[email]", "[email]", "[email]", "[email]", "[email]", "[email]",
                        "ok");
        assertThat(redactor.redactWords(List.of("write", "to", "j.smith@example.org")))
                .containsExactly("write", "to", "[email]");
    }

    @Test
    void shouldTakeWhatTheRecogniserWritesForAtBeforeACommonDomainOnly() {
        assertThat(redactor.redactWords(List.of("john", "out", "example", "dot", "com")))
                .containsExactly("[email]", "[email]", "[email]", "[email]", "[email]");
        assertThat(redactor.redactWords(List.of("we", "went", "out", "to", "eat", "dot", "the", "end")))
                .containsExactly("we", "went", "out", "to", "eat", "dot", "the", "end");
    }

    @Test
    void shouldRedactSocialSecurityNumbersAndNineDigitsAfterTheWords() {
        assertThat(String.join(" ", redactor.redactWords(List.of("one two three four five six seven eight nine"
                .split(" "))))).isEqualTo("[id] [id] [id] [id] [id] [id] [id] [id] [id]");
        // 9xx is no issued number, but after "social security" it is still one
        assertThat(String.join(" ", redactor.redactWords(List.of("social security nine eight seven six five four three two one"
                .split(" "))))).isEqualTo("social security [id] [id] [id] [id] [id] [id] [id] [id] [id]");
    }

    @Test
    void shouldRedactAMisheardCardByTheDigitRunRule() {
        // Luhn fails (last digit misheard), but sixteen digits are never kept
        assertThat(String.join(" ", redactor.redactWords(List.of("4111 1111 1111 1112".split(" ")))))
                .isEqualTo("[digits] [digits] [digits] [digits]");
    }

    @Test
    void shouldKeepEverythingWhenSwitchedOff() {
        Redactor off = new Redactor(RedactionConfig.OFF);
        Utterance in = said(0, "my card is 4111 1111 1111 1111 and john at example dot com");

        assertThat(off.speaker().next(in)).isSameAs(in);
        assertThat(off.describe()).isEqualTo("off");
    }

    @Test
    void shouldApplyOnlyTheEnabledRules() {
        Redactor cardsOnly = new Redactor(new RedactionConfig(true, true, false, false, false, 0, 0, 5000));

        assertThat(String.join(" ", cardsOnly.redactWords(List.of(
                "call five five five one two three four or mail me at example dot com".split(" ")))))
                .isEqualTo("call five five five one two three four or mail me at example dot com");
        assertThat(cardsOnly.describe()).isEqualTo("card");
        assertThat(redactor.describe()).isEqualTo("card,phone,email,id,digits>=8,trailing>=4");
    }

    @Test
    void shouldRefuseAOneDigitRunMinimumNamingTheKey() {
        assertThatThrownBy(() -> new RedactionConfig(true, true, true, true, true, 1, 4, 5000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redaction.digitRunMin");
    }
}
