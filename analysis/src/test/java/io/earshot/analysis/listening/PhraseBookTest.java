package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.schemas.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhraseBookTest {

    @TempDir
    Path dir;

    private static PhraseBook book(String... lines) {
        return PhraseBook.parse("test.txt", Arrays.asList(lines));
    }

    private static Set<BehaviourKind> kinds(PhraseBook book, String text) {
        return new BehaviourDetector(book).detect(List.of(Speech.say(Role.AGENT, 0, text))).stream()
                .map(Behaviour::kind).collect(Collectors.toSet());
    }

    @Test
    void shouldLoadTheBuiltInEnglishBookWithPatternsForEveryKind() {
        PhraseBook en = PhraseBook.builtIn("en");
        assertThat(en.language()).isEqualTo("en");
        assertThat(en.source()).isEqualTo("built-in en");
        assertThat(en.byKind().keySet()).containsExactlyInAnyOrder(BehaviourKind.values());
        assertThat(en.overlapMinWords()).isEqualTo(3);
        assertThat(en.overlapMinShare()).isEqualTo(0.5);
        assertThat(PhraseBook.builtInLanguages()).containsExactly("en");
    }

    @Test
    void shouldRejectAnUnknownLanguageNamingTheBuiltInOnes() {
        assertThatThrownBy(() -> PhraseBook.builtIn("fr")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"fr\"").hasMessageContaining("built-in: en")
                .hasMessageContaining("listening.phrases");
    }

    @Test
    void shouldMatchAlternativesOptionalWordsAndNumbers() {
        PhraseBook b = book("@language en", "[contractions]", "i'm = i am", "[class n]", "one two three four twenty",
                "[apology]", "i am [so|very] sorry", "[follow_up]", "within {n} day|days");
        assertThat(kinds(b, "i'm sorry")).containsExactly(BehaviourKind.APOLOGY);
        assertThat(kinds(b, "i am very sorry")).containsExactly(BehaviourKind.APOLOGY);
        assertThat(kinds(b, "i am not sorry")).isEmpty();
        assertThat(kinds(b, "i'm so very sorry")).isEmpty();
        assertThat(kinds(b, "within three days")).containsExactly(BehaviourKind.FOLLOW_UP);
        assertThat(kinds(b, "within twenty four days")).containsExactly(BehaviourKind.FOLLOW_UP);
        assertThat(kinds(b, "within 3 days")).containsExactly(BehaviourKind.FOLLOW_UP);
        assertThat(kinds(b, "within days")).isEmpty();
    }

    @Test
    void shouldMatchAnchoredPatternsOnlyAtAClauseStartOrTheUtteranceEnd() {
        PhraseBook b = book("@language en", "[clause-breaks]", "okay", "[closed_question]", "^is it",
                "[clarifying_question]", "^what $", "[empathy]", "that * hard");
        assertThat(kinds(b, "is it broken")).containsExactly(BehaviourKind.CLOSED_QUESTION);
        assertThat(kinds(b, "okay is it broken")).containsExactly(BehaviourKind.CLOSED_QUESTION);
        assertThat(kinds(b, "that is it")).isEmpty();
        assertThat(kinds(b, "what")).containsExactly(BehaviourKind.CLARIFYING_QUESTION);
        assertThat(kinds(b, "what is it")).isEmpty();
        assertThat(kinds(b, "that sounds hard")).containsExactly(BehaviourKind.EMPATHY);
        assertThat(kinds(b, "that hard")).isEmpty();
    }

    @Test
    void shouldLetANegativePatternVetoTheMatchesOfItsKindItOverlaps() {
        PhraseBook b = book("@language en", "[apology]", "^sorry", "!sorry what", "[clarifying_question]", "sorry what");
        assertThat(kinds(b, "sorry what")).containsExactly(BehaviourKind.CLARIFYING_QUESTION);
        assertThat(kinds(b, "sorry about that")).containsExactly(BehaviourKind.APOLOGY);
    }

    @Test
    void shouldAllowOneInsertedWordInsideAMatchUnlessConfiguredOtherwise() {
        String[] lines = {"@language en", "[insertable]", "the", "[apology]", "i am sorry"};
        assertThat(kinds(book(lines), "i am the sorry")).containsExactly(BehaviourKind.APOLOGY);
        assertThat(kinds(book(lines), "i the am the sorry")).isEmpty();
        List<String> none = new ArrayList<>(List.of(lines));
        none.addAll(List.of("[settings]", "match.max-inserted-words = 0"));
        assertThat(kinds(PhraseBook.parse("t", none), "i am the sorry")).isEmpty();
    }

    @Test
    void shouldDropFillersAndExpandContractionsBothWays() {
        PhraseBook b = book("@language en", "[contractions]", "i'll = i will", "[fillers]", "uh um",
                "[follow_up]", "i'll call you back");
        assertThat(kinds(b, "i will uh call you um back")).containsExactly(BehaviourKind.FOLLOW_UP);
        assertThat(kinds(b, "i'll call you back")).containsExactly(BehaviourKind.FOLLOW_UP);
    }

    /** Each body is the lines after "@language en", separated by " / ". */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "[apologies] / sorry;                 test.txt:2: unknown section [apologies]; known: settings",
        "i am sorry;                         test.txt:2: text before the first [section]",
        "[settings] / clause.pause-ms = soon; test.txt:3: clause.pause-ms must be a whole number, not \"soon\"",
        "[settings] / paraphrase.overlap.min-share = 2; test.txt:3: paraphrase.overlap.min-share must be above 0 and at most 1",
        "[settings] / overlap = 3;            test.txt:3: unknown setting overlap",
        "[settings] / questions.precedence = open; test.txt:3: questions.precedence: unknown kind \"open\"",
        "[empathy] / that is {feelings};     test.txt:3: unknown word class {feelings}",
        "[empathy] / that ^is hard;           test.txt:3: '^' (clause start) may only begin a pattern",
        "[empathy] / that $ is;               test.txt:3: '$' (utterance end) may only end a pattern",
        "[empathy] / that is a||b;            test.txt:3: empty alternative in 'a||b'",
        "[empathy] / [so] [very];             test.txt:3: a pattern needs at least one word that is not optional",
        "[empathy] / that [is hard;           test.txt:3: bad optional word '[is'",
        "[empathy] / !;                       test.txt:3: empty pattern",
        "@include en;                        test.txt:2: unknown directive @include",
        "[contractions] / i'm;                test.txt:3: a contraction is WORD = WORDS",
        "[class feeling wide] / sad;          test.txt:2: a class name is lower-case letters",
        "[fillers] / um / [apology] / um sorry; test.txt:5: 'um' is a filler",
    })
    void shouldReportAMalformedLineWithItsFileAndNumber(String body, String message) {
        List<String> lines = new ArrayList<>();
        lines.add("@language en");
        lines.addAll(Arrays.asList(body.split(" / ")));
        assertThatThrownBy(() -> PhraseBook.parse("test.txt", lines)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.strip());
    }

    @Test
    void shouldRequireALanguage() {
        assertThatThrownBy(() -> book("[apology]", "sorry")).hasMessage("test.txt: no @language line (or @extends LANGUAGE)");
    }

    @Test
    void shouldExtendTheBuiltInBookFromAUserFileOverridingItsSettings() throws IOException {
        Path file = dir.resolve("acme-phrases.txt");
        Files.write(file, List.of(
                "# our own phrases on top of the built-in ones",
                "@extends en",
                "[settings]",
                "paraphrase.overlap.min-words = 2",
                "[empathy]",
                "that is rough",
                "!i hear you"));
        PhraseBook b = PhraseBook.read(file);
        assertThat(b.language()).isEqualTo("en");
        assertThat(b.source()).isEqualTo(file.toString());
        assertThat(b.overlapMinWords()).isEqualTo(2);
        assertThat(kinds(b, "oh that is rough")).containsExactly(BehaviourKind.EMPATHY);
        assertThat(kinds(b, "i hear you")).isEmpty();
        assertThat(kinds(b, "i'm so sorry about that")).containsExactly(BehaviourKind.APOLOGY);
        assertThat(kinds(PhraseBook.builtIn("en"), "i hear you")).containsExactly(BehaviourKind.EMPATHY);
    }

    @Test
    void shouldNameTheUsersFileAndLineInAnError() throws IOException {
        Path file = dir.resolve("bad.txt");
        Files.write(file, List.of("@extends en", "", "[follow_up]", "by {weekday}"));
        assertThatThrownBy(() -> PhraseBook.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":4: unknown word class {weekday}");
        Files.write(file, List.of("@extends de"));
        assertThatThrownBy(() -> PhraseBook.read(file)).hasMessageStartingWith(file + ":1: no built-in phrase book for language \"de\"");
    }

    @Test
    void shouldTravelSerialisedWithTheDetector() throws Exception {
        BehaviourDetector detector = new BehaviourDetector(PhraseBook.builtIn("en"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(detector);
        }
        BehaviourDetector copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BehaviourDetector) in.readObject();
        }
        List<UtteranceItem> call = List.of(Speech.say(Role.AGENT, 0, "i'm so sorry i'll call you back tomorrow"));
        assertThat(copy.detect(call)).isEqualTo(detector.detect(call)).hasSize(2);
    }
}
