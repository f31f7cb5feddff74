package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationAnalysis;
import io.earshot.analysis.metrics.MetricsConfig;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.analysis.metrics.TimedWord;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoachTest {

    private static final Role A = Role.AGENT;
    private static final Role C = Role.CUSTOMER;

    private final List<Spurt> spurts = new ArrayList<>();
    private final List<TimedWord> words = new ArrayList<>();
    private final List<UtteranceItem> utterances = new ArrayList<>();

    /** One spurt of {@code role} whose words are spread evenly over it. */
    private void say(Role role, long start, long end, String text) {
        spurts.add(new Spurt(role, start, end));
        String[] w = text.split(" ");
        long step = (end - start) / w.length;
        List<WordItem> items = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            words.add(new TimedWord(role, w[i], start + i * step, start + (i + 1) * step));
            items.add(new WordItem(w[i], start + i * step, start + (i + 1) * step, 1.0));
        }
        utterances.add(new UtteranceItem(role, start, end, text, items));
    }

    private CallMetrics metrics(long duration) {
        return ConversationAnalysis.analyze(duration, spurts, words, MetricsConfig.DEFAULTS, true);
    }

    private List<CoachingNote> notes(CallMetrics m, List<Behaviour> behaviours, List<ToneEvent> tone,
            boolean isFinal) {
        ToneResult t = new ToneResult(VoiceBaseline.unknown(A), VoiceBaseline.unknown(C), tone);
        return Coach.notes(m, utterances, behaviours, t, ScoreConfig.DEFAULTS, isFinal, 4);
    }

    private static Behaviour agent(BehaviourKind kind, long start, String text) {
        return new Behaviour(A, kind, start, start + 1500, text, "test");
    }

    @Test
    void interruptionNoteQuotesBothPartiesAtTheSecondItStarted() {
        say(C, 1000, 6500, "my internet has been down since monday and nothing has changed at all");
        say(A, 5000, 8000, "let me pull up your account");

        List<CoachingNote> notes = notes(metrics(70_000), List.of(), List.of(), false);

        assertThat(notes).first().satisfies(n -> {
            assertThat(n.kind()).isEqualTo("interruption");
            assertThat(n.atMs()).isEqualTo(5000);
            assertThat(n.message()).startsWith("At 0:05 you started 'let me pull up your account'")
                    .contains("while the customer was saying '");
        });
    }

    @Test
    void resolvingBeforeConfirmingIsAGapAndConfirmingFirstIsNot() {
        say(C, 1000, 9000, "i was charged twice for my order last week");
        say(A, 10_000, 14_000, "i will refund the second charge today");
        Behaviour followUp = agent(BehaviourKind.FOLLOW_UP, 10_000, "i will refund the second charge today");
        Behaviour paraphrase = agent(BehaviourKind.PARAPHRASE, 9_500, "so you were charged twice");

        List<CoachingNote> unconfirmed = notes(metrics(70_000), List.of(followUp), List.of(), false);
        List<CoachingNote> confirmed = notes(metrics(70_000), List.of(paraphrase, followUp), List.of(), false);

        assertThat(unconfirmed).extracting(CoachingNote::kind).contains("no_confirmation");
        assertThat(unconfirmed).filteredOn(n -> n.kind().equals("no_confirmation")).singleElement()
                .satisfies(n -> assertThat(n.atMs()).isEqualTo(10_000));
        assertThat(confirmed).extracting(CoachingNote::kind).doesNotContain("no_confirmation")
                .contains("good_paraphrase");
    }

    @Test
    void notesAboutWhatNeverHappenedWaitForTheEndOfTheCall() {
        say(C, 1000, 9000, "hello i have a question about my bill");
        say(A, 9500, 15_000, "sure i can help with that");

        List<String> running = notes(metrics(70_000), List.of(), List.of(), false).stream().map(CoachingNote::kind).toList();
        List<String> fin = notes(metrics(70_000), List.of(), List.of(), true).stream().map(CoachingNote::kind).toList();

        assertThat(running).doesNotContain("no_open_question", "no_confirmation");
        assertThat(fin).contains("no_open_question", "no_confirmation");
    }

    @Test
    void customerRaisedVoiceIsAGapUnlessTheAgentAcknowledgesIt() {
        say(C, 1000, 9000, "this is the third time i am calling about this");
        say(A, 10_000, 13_000, "i understand how frustrating that is");
        ToneEvent raised = new ToneEvent(C, ToneKind.RAISED_VOICE, 4000, 8000,
                Map.of("loudnessDb", -12.0, "baselineDb", -20.0, "excessDb", 8.0));
        Behaviour empathy = agent(BehaviourKind.EMPATHY, 10_000, "i understand how frustrating that is");

        List<CoachingNote> ignored = notes(metrics(70_000), List.of(), List.of(raised), false);
        List<CoachingNote> acknowledged = notes(metrics(70_000), List.of(empathy), List.of(raised), false);

        assertThat(ignored).filteredOn(n -> n.kind().equals("customer_raised_voice")).singleElement()
                .satisfies(n -> assertThat(n.message()).startsWith("At 0:04 the customer's voice rose 8 dB"));
        assertThat(acknowledged).extracting(CoachingNote::kind).doesNotContain("customer_raised_voice")
                .contains("good_acknowledged_tone");
    }

    @Test
    void anAcknowledgementCountsFromTheRaisedVoiceToHalfAMinuteAfterIt() {
        say(C, 1000, 9000, "this is the third time i am calling about this");
        ToneEvent raised = new ToneEvent(C, ToneKind.RAISED_VOICE, 4000, 8000,
                Map.of("loudnessDb", -12.0, "baselineDb", -20.0, "excessDb", 8.0));
        long last = 8000 + Coach.ACKNOWLEDGE_WITHIN_MS;
        // the behaviours in order of start, as the detector gives them: many that are no
        // acknowledgement around the ones that are, before, inside and after the reach
        for (long[] empathyAt : new long[][] {{3999}, {4000}, {last}, {last + 1}, {3999, last + 1}, {3999, 20_000, last}}) {
            List<Behaviour> behaviours = new ArrayList<>();
            for (long at = 0; at < 100_000; at += 700) {
                behaviours.add(agent(BehaviourKind.OPEN_QUESTION, at, "can you tell me more"));
                behaviours.add(new Behaviour(C, BehaviourKind.EMPATHY, at + 1, at + 900, "i understand", "test"));
            }
            for (long at : empathyAt) {
                behaviours.add(agent(BehaviourKind.EMPATHY, at, "i am sorry about that at " + at));
            }
            behaviours.sort(java.util.Comparator.comparingLong(Behaviour::startMs));
            Long acknowledgedAt = java.util.Arrays.stream(empathyAt).filter(at -> at >= 4000 && at <= last)
                    .boxed().findFirst().orElse(null);

            List<CoachingNote> notes = notes(metrics(120_000), behaviours, List.of(raised), false);

            if (acknowledgedAt == null) {
                assertThat(notes).as("empathy at %s", java.util.Arrays.toString(empathyAt))
                        .extracting(CoachingNote::kind).contains("customer_raised_voice")
                        .doesNotContain("good_acknowledged_tone");
            } else {
                assertThat(notes).as("empathy at %s", java.util.Arrays.toString(empathyAt))
                        .filteredOn(n -> n.kind().equals("good_acknowledged_tone")).singleElement()
                        .satisfies(n -> assertThat(n.message()).contains("sorry about that at " + acknowledgedAt));
            }
        }
    }

    @Test
    void atMostTheConfiguredNumberWithOneStrengthAfterTheGaps() {
        say(C, 1000, 6500, "my internet has been down since monday and nothing has changed at all");
        say(A, 5000, 80_000, "let me pull up your account and look at everything that happened this week");
        Behaviour open = agent(BehaviourKind.OPEN_QUESTION, 500, "can you tell me what happened");
        ToneEvent agentRaised = new ToneEvent(A, ToneKind.RAISED_VOICE, 30_000, 33_000, Map.of("excessDb", 7.0));
        ToneEvent monotone = new ToneEvent(A, ToneKind.MONOTONE, 20_000, 80_000, Map.of("pitchRangeSemitones", 1.2));

        List<CoachingNote> notes = notes(metrics(90_000), List.of(open), List.of(agentRaised, monotone), true);

        assertThat(notes).hasSize(4);
        assertThat(notes).extracting(CoachingNote::kind).first().isEqualTo("interruption");
        assertThat(notes).last().satisfies(n -> assertThat(n.kind()).isEqualTo("good_open_question"));
        assertThat(notes.subList(0, 3)).allSatisfy(n -> assertThat(n.kind()).doesNotStartWith("good_"));
    }

    @Test
    void noNotesWhenNoneAreWanted() {
        say(C, 1000, 6500, "my internet has been down since monday and nothing has changed at all");
        say(A, 5000, 80_000, "let me pull up your account and look at everything that happened this week");
        Behaviour open = agent(BehaviourKind.OPEN_QUESTION, 500, "can you tell me what happened");
        ToneResult t = new ToneResult(VoiceBaseline.unknown(A), VoiceBaseline.unknown(C), List.of());

        assertThat(Coach.notes(metrics(90_000), utterances, List.of(open), t, ScoreConfig.DEFAULTS, true, 0)).isEmpty();
    }

    @Test
    void equalPrioritiesGoByTimeThenByTheOrderFound() {
        ToneEvent late = new ToneEvent(A, ToneKind.MONOTONE, 40_000, 50_000, Map.of("pitchRangeSemitones", 1.2));
        ToneEvent lateFast = new ToneEvent(A, ToneKind.FAST_SPEECH, 40_000, 45_000, Map.of("wordsPerMinute", 280.0));
        ToneEvent early = new ToneEvent(A, ToneKind.MONOTONE, 10_000, 20_000, Map.of("pitchRangeSemitones", 1.1));
        ToneResult t = new ToneResult(VoiceBaseline.unknown(A), VoiceBaseline.unknown(C), List.of(late, lateFast, early));

        assertThat(Coach.notes(metrics(60_000), utterances, List.of(), t, ScoreConfig.DEFAULTS, false, 2))
                .extracting(n -> n.kind() + "@" + n.atMs()).containsExactly("monotone@10000", "monotone@40000");
        assertThat(Coach.notes(metrics(60_000), utterances, List.of(), t, ScoreConfig.DEFAULTS, false, 3))
                .extracting(n -> n.kind() + "@" + n.atMs())
                .containsExactly("monotone@10000", "monotone@40000", "fast_speech@40000");
    }

    @Test
    void onlyTheEarliestToneEventsOfEachPriorityCanBeChosenWhateverTheirOrder() {
        java.util.Random random = new java.util.Random(31);
        for (int round = 0; round < 50; round++) {
            List<ToneEvent> events = new ArrayList<>();
            int count = 1 + random.nextInt(60);
            for (int i = 0; i < count; i++) {
                long start = 1000L * random.nextInt(20); // many equal starts
                Role by = random.nextInt(4) == 0 ? C : A;
                // a customer's monotone or fast speech gives no note (its raised voice has one of its own)
                ToneKind kind = by == C ? (random.nextBoolean() ? ToneKind.MONOTONE : ToneKind.FAST_SPEECH)
                        : ToneKind.values()[random.nextInt(ToneKind.values().length)];
                events.add(new ToneEvent(by, kind, start, start + 500 + i, Map.of("excessDb", 6.0 + i)));
            }
            // what a stable sort of every agent note by priority, then time, puts first
            List<ToneEvent> expected = new ArrayList<>();
            for (ToneKind kind : List.of(ToneKind.RAISED_VOICE, ToneKind.MONOTONE)) {
                List<ToneEvent> ofPriority = new ArrayList<>(events.stream()
                        .filter(e -> e.by() == A && (kind == ToneKind.RAISED_VOICE ? e.kind() == kind
                                : e.kind() == ToneKind.MONOTONE || e.kind() == ToneKind.FAST_SPEECH))
                        .toList());
                ofPriority.sort(java.util.Comparator.comparingLong(ToneEvent::startMs));
                expected.addAll(ofPriority);
            }
            ToneResult t = new ToneResult(VoiceBaseline.unknown(A), VoiceBaseline.unknown(C), events);
            for (int max : new int[] {1, 3, 7, 70}) {
                List<String> chosen = Coach.notes(metrics(60_000), utterances, List.of(), t, ScoreConfig.DEFAULTS,
                        false, max).stream().map(n -> n.kind() + "@" + n.atMs() + ":" + n.message()).toList();
                List<String> wanted = expected.stream().limit(max).map(e -> (e.kind() == ToneKind.RAISED_VOICE
                        ? "raised_voice" : e.kind().label()) + "@" + e.startMs() + ":").toList();
                assertThat(chosen).hasSameSizeAs(wanted);
                for (int i = 0; i < wanted.size(); i++) {
                    assertThat(chosen.get(i)).startsWith(wanted.get(i));
                }
                // the same event, not only one alike in kind and start: its own excess is quoted
                for (int i = 0; i < wanted.size(); i++) {
                    ToneEvent e = expected.get(i);
                    if (e.kind() == ToneKind.RAISED_VOICE) {
                        assertThat(chosen.get(i)).contains(String.format(java.util.Locale.ROOT, " %.0f dB",
                                e.values().get("excessDb")));
                    }
                }
            }
        }
    }

    @Test
    void numbersAreWrittenAsTheFormatterWritesThem() {
        for (long ms = 0; ms < 20_000; ms++) {
            String formatted = ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0)
                    : (ms + 500) / 1000 + " s";
            assertThat(Coach.seconds(ms)).isEqualTo(formatted);
        }
        assertThat(Coach.seconds(-1250)).isEqualTo("-1.3 s");
        java.util.Random random = new java.util.Random(5);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49, -0.49, 0.005,
                1e300, -1e300, Double.NaN, Double.POSITIVE_INFINITY, 123456789.25, 4.4999));
        for (long cents = -100_000; cents <= 100_000; cents++) {
            values.add(cents / 100.0);
        }
        for (int i = 0; i < 10_000; i++) {
            values.add((random.nextDouble() - 0.5) * 1000);
        }
        for (double v : values) {
            assertThat(Coach.whole(v)).as("%s", v).isEqualTo(String.format(java.util.Locale.ROOT, "%.0f", v));
        }
    }

    @Test
    void clockShowsMinutesAndHours() {
        assertThat(Coach.clock(5_400)).isEqualTo("0:05");
        assertThat(Coach.clock(760_000)).isEqualTo("12:40");
        assertThat(Coach.clock(3_723_000)).isEqualTo("1:02:03");
        assertThat(Coach.clock(599_999)).isEqualTo("9:59");
        assertThat(Coach.clock(3_600_000)).isEqualTo("1:00:00");
        assertThat(Coach.clock(36_061_000)).isEqualTo("10:01:01");
        assertThat(Coach.clock(-5)).isEqualTo("0:00");
    }

    @Test
    void aQuoteIsTheTextsFirstWordsAsSplittingOnWhitespaceGivesThem() {
        assertThat(Coach.quote("  one two  ")).isEqualTo("one two");
        assertThat(Coach.quote("a b c d e f g h")).isEqualTo("a b c d e f g h");
        assertThat(Coach.quote("a b c d e f g h i")).isEqualTo("a b c d e f g h...");
        assertThat(Coach.quote("a\tb\nc  d e f g h \r\n")).isEqualTo("a\tb\nc  d e f g h");
        assertThat(Coach.quote("")).isEmpty();
        // against the definition: split on \\s+ after trimming, on random texts of words, spaces
        // of every kind and characters trim() drops but \\s does not match
        java.util.Random random = new java.util.Random(11);
        char[] alphabet = {'a', 'b', 'x', ' ', ' ', '\t', '\n', '\r', '\f', '\u000B', '\u0001', '\u001F', '\'', '.'};
        for (int k = 0; k < 5_000; k++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String t = text.toString();
            String[] words = t.trim().split("\\s+");
            String expected = words.length <= Coach.QUOTE_WORDS ? t.trim()
                    : String.join(" ", java.util.Arrays.copyOf(words, Coach.QUOTE_WORDS)) + "...";
            assertThat(Coach.quote(t)).as("quote of [%s]", t).isEqualTo(expected);
        }
    }
}
