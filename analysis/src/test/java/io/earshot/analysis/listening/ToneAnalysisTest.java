package io.earshot.analysis.listening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.analysis.events.ContourBlock;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.events.WordItem;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToneAnalysisTest {

    private static final ToneConfig CONFIG = ToneConfig.DEFAULTS;
    private static final double CALM_DBFS = -24.0;
    private static final double CALM_PITCH = 20.0;

    /**
     * One party's calm speech: spurts of {@code spurtMs} with 400 ms pauses from {@code fromMs}
     * until {@code speechMs} of speech, in 200 ms blocks at {@code level(t)} whose pitch
     * alternates 1.5 semitones either side of {@code pitch(t)}.
     */
    private static List<SegmentItem> speech(Role role, long fromMs, long speechMs, long spurtMs,
            LongToDoubleFunction level, LongToDoubleFunction pitch) {
        List<SegmentItem> out = new ArrayList<>();
        long t = fromMs;
        long left = speechMs;
        int n = 0;
        while (left > 0) {
            long length = Math.min(spurtMs, left);
            List<ContourBlock> blocks = new ArrayList<>();
            for (long b = t; b < t + length; b += 200) {
                long end = Math.min(t + length, b + 200);
                double wobble = n++ % 2 == 0 ? 1.5 : -1.5;
                blocks.add(new ContourBlock(b, end, level.applyAsDouble(b), pitch.applyAsDouble(b) + wobble));
            }
            out.add(new SegmentItem(role, t, t + length, Double.NaN, Double.NaN, level.applyAsDouble(t), blocks));
            t += length + 400;
            left -= length;
        }
        return out;
    }

    private static List<SegmentItem> calm(Role role, long fromMs, long speechMs) {
        return speech(role, fromMs, speechMs, 4_000, t -> CALM_DBFS, t -> CALM_PITCH);
    }

    /** Calm customer speech for 40 s of speech, raised by {@code excessDb} over [from, from + length). */
    private static List<SegmentItem> customerRaised(double excessDb, long fromMs, long lengthMs, double gainDb) {
        return speech(Role.CUSTOMER, 0, 40_000, 10_000,
                t -> gainDb + CALM_DBFS + (t >= fromMs && t < fromMs + lengthMs ? excessDb : 0), t -> CALM_PITCH);
    }

    private static List<ToneEvent> events(List<SegmentItem> segments) {
        return ToneAnalysis.analyze(segments, List.of(), CONFIG).events();
    }

    @ParameterizedTest
    @CsvSource({"6.1, 1", "5.9, 0", "8.0, 1"})
    void shouldFindARaisedVoiceOnlyAtSixDbOverTheBaseline(double excessDb, int expected) {
        // 3 s raised inside a 10 s spurt: 12000-15000
        List<ToneEvent> events = events(customerRaised(excessDb, 12_000, 3_000, 0));

        assertThat(events).hasSize(expected);
        if (expected == 1) {
            ToneEvent e = events.get(0);
            assertThat(e.by()).isEqualTo(Role.CUSTOMER);
            assertThat(e.kind()).isEqualTo(ToneKind.RAISED_VOICE);
            assertThat(e.startMs()).isEqualTo(12_000);
            assertThat(e.endMs()).isEqualTo(15_000);
            assertThat(e.values().get("excessDb")).isCloseTo(excessDb, within(0.2));
            assertThat(e.values().get("baselineDb")).isEqualTo(CALM_DBFS);
            assertThat(e.values().keySet()).containsExactly("loudnessDb", "baselineDb", "excessDb");
        }
    }

    @ParameterizedTest
    @CsvSource({"2200, 1", "2000, 1", "1800, 0"})
    void shouldFindARaisedVoiceOnlyWhenItLastsTwoSeconds(long lengthMs, int expected) {
        assertThat(events(customerRaised(8.0, 12_000, lengthMs, 0))).hasSize(expected);
    }

    @Test
    void shouldTimeARaisedStretchThatEndsInsideABlockToTheBlocksEnd() {
        // a 2.1 s loud spurt (ten full blocks and one of 100 ms) between calm ones, and a 1.9 s one
        for (long length : new long[] {2_100, 1_900}) {
            List<SegmentItem> segments = new ArrayList<>(calm(Role.AGENT, 0, 30_000));
            List<ContourBlock> loud = new ArrayList<>();
            for (long b = 40_000; b < 40_000 + length; b += 200) {
                loud.add(new ContourBlock(b, Math.min(40_000 + length, b + 200), CALM_DBFS + 8, CALM_PITCH));
            }
            segments.add(new SegmentItem(Role.AGENT, 40_000, 40_000 + length, Double.NaN, Double.NaN, CALM_DBFS + 8,
                    loud));
            segments.addAll(calm(Role.AGENT, 40_000 + length + 300, 8_000));

            List<ToneEvent> events = events(segments);

            assertThat(events).as("%d ms", length).hasSize(length >= 2_000 ? 1 : 0);
            events.forEach(e -> assertThat(e.endMs() - e.startMs()).isEqualTo(length));
        }
    }

    @Test
    void shouldSeeARaisedStretchInsideALongSpurtOnlyThroughItsContour() {
        List<SegmentItem> withContour = customerRaised(8.0, 12_000, 3_000, 0);
        List<SegmentItem> spurtsOnly = withContour.stream()
                .map(s -> new SegmentItem(s.role(), s.startMs(), s.endMs(), s.pitchMedianHz(), s.pitchRangeSemitones(),
                        ToneAnalysis.Voice.of(s.role(), List.of(s), List.of()).powerMean(s.startMs(), s.endMs())))
                .toList();

        assertThat(events(withContour)).hasSize(1);
        assertThat(events(spurtsOnly)).isEmpty();
    }

    @Test
    void shouldGiveTheSameEventsWhenAWholeChannelIsTwelveDbQuieter() {
        List<SegmentItem> agent = calm(Role.AGENT, 0, 30_000);
        List<SegmentItem> normal = new ArrayList<>(agent);
        normal.addAll(customerRaised(8.0, 12_000, 3_000, 0));
        List<SegmentItem> quiet = new ArrayList<>(agent);
        quiet.addAll(customerRaised(8.0, 12_000, 3_000, -12));

        ToneResult a = ToneAnalysis.analyze(normal, List.of(), CONFIG);
        ToneResult b = ToneAnalysis.analyze(quiet, List.of(), CONFIG);

        assertThat(b.customer().loudnessDbfs()).isCloseTo(a.customer().loudnessDbfs() - 12, within(1e-6));
        assertThat(b.events()).hasSize(1);
        assertThat(b.events().get(0).startMs()).isEqualTo(a.events().get(0).startMs());
        assertThat(b.events().get(0).endMs()).isEqualTo(a.events().get(0).endMs());
        assertThat(b.events().get(0).values().get("excessDb")).isEqualTo(a.events().get(0).values().get("excessDb"));
    }

    @Test
    void shouldFindNothingWhenOneChannelIsTwelveDbQuieterThanTheOther() {
        List<SegmentItem> segments = new ArrayList<>(calm(Role.AGENT, 0, 40_000));
        segments.addAll(speech(Role.CUSTOMER, 200, 40_000, 3_000, t -> CALM_DBFS - 12, t -> CALM_PITCH + 7));

        ToneResult tone = ToneAnalysis.analyze(segments, List.of(), CONFIG);

        assertThat(tone.events()).isEmpty();
        assertThat(tone.customer().loudnessDbfs()).isCloseTo(CALM_DBFS - 12, within(1.6));
        assertThat(tone.agent().loudnessDbfs()).isCloseTo(CALM_DBFS, within(1.6));
    }

    @Test
    void shouldNotJudgeASpeakerBeforeItsBaselineRestsOnTenSecondsOfSpeech() {
        List<SegmentItem> shortCall = speech(Role.CUSTOMER, 0, 9_000, 9_000,
                t -> CALM_DBFS + (t >= 3_000 && t < 6_000 ? 8 : 0), t -> CALM_PITCH);

        ToneResult tone = ToneAnalysis.analyze(shortCall, List.of(), CONFIG);

        assertThat(tone.events()).isEmpty();
        assertThat(tone.customer().speechMs()).isEqualTo(9_000);
        assertThat(tone.agent()).isEqualTo(VoiceBaseline.unknown(Role.AGENT));
    }

    @Test
    void shouldKeepARaisedStretchTogetherAcrossAShortPauseButNotALongOne() {
        for (long pause : new long[] {400, 1_000}) {
            List<SegmentItem> segments = new ArrayList<>(calm(Role.CUSTOMER, 0, 30_000));
            segments.addAll(speech(Role.CUSTOMER, 40_000, 3_000, 1_500, t -> CALM_DBFS + 8, t -> CALM_PITCH));
            segments.removeIf(s -> s.startMs() > 40_000); // the second half again, after the pause
            segments.addAll(speech(Role.CUSTOMER, 41_500 + pause, 1_500, 1_500, t -> CALM_DBFS + 8, t -> CALM_PITCH));

            List<ToneEvent> events = events(segments);

            if (pause < CONFIG.raisedVoiceMaxDipMs()) {
                assertThat(events).singleElement().satisfies(e -> {
                    assertThat(e.startMs()).isEqualTo(40_000);
                    assertThat(e.endMs()).isEqualTo(43_000 + pause);
                });
            } else {
                assertThat(events).as("two 1.5 s stretches").isEmpty();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1.9, 60000, 1", "2.1, 60000, 0", "1.9, 59000, 0"})
    void shouldCallTheAgentMonotoneOnlyUnderTwoSemitonesOverAMinute(double range, long speechMs, int expected) {
        // pitch alternates between two values 'range' apart: the 10th and 90th percentiles
        List<SegmentItem> agent = speech(Role.AGENT, 0, speechMs, 5_000, t -> CALM_DBFS,
                t -> CALM_PITCH + range / 2);
        List<SegmentItem> flat = agent.stream().map(s -> new SegmentItem(s.role(), s.startMs(), s.endMs(),
                Double.NaN, Double.NaN, s.loudnessDbfs(), s.contour().stream().map(b -> new ContourBlock(b.startMs(),
                        b.endMs(), CALM_DBFS, CALM_PITCH + ((b.startMs() / 200) % 2 == 0 ? 0 : range))).toList()))
                .toList();

        List<ToneEvent> events = events(flat);

        assertThat(events).hasSize(expected);
        events.forEach(e -> {
            assertThat(e.kind()).isEqualTo(ToneKind.MONOTONE);
            assertThat(e.by()).isEqualTo(Role.AGENT);
            assertThat(e.values().get("rangeSemitones")).isCloseTo(range, within(1e-3));
            assertThat(e.startMs()).isZero();
        });
    }

    @Test
    void shouldNotCallACustomerMonotone() {
        List<SegmentItem> customer = speech(Role.CUSTOMER, 0, 70_000, 5_000, t -> CALM_DBFS, t -> CALM_PITCH);
        List<SegmentItem> flat = customer.stream().map(s -> new SegmentItem(s.role(), s.startMs(), s.endMs(),
                Double.NaN, Double.NaN, s.loudnessDbfs(), s.contour().stream().map(b -> new ContourBlock(b.startMs(),
                        b.endMs(), CALM_DBFS, CALM_PITCH)).toList())).toList();

        assertThat(events(flat)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "3.0, 4.0, 1",
        "3.0, 0.0, 0",
        "0.0, 4.0, 0",
        "1.8, 4.0, 0",
        "3.0, 2.7, 0"})
    void shouldFindAgitationWhenPitchAndLoudnessBothRise(double semitonesPerMin, double dbPerMin, int expected) {
        List<SegmentItem> customer = speech(Role.CUSTOMER, 0, 60_000, 4_000,
                t -> CALM_DBFS + dbPerMin * t / 60_000.0, t -> CALM_PITCH + semitonesPerMin * t / 60_000.0);

        List<ToneEvent> events = events(customer).stream().filter(e -> e.kind() == ToneKind.AGITATION).toList();

        assertThat(events).hasSize(expected);
        events.forEach(e -> {
            assertThat(e.by()).isEqualTo(Role.CUSTOMER);
            assertThat(e.values().get("pitchSlopeSemitonesPerMin")).isCloseTo(semitonesPerMin, within(0.3));
            assertThat(e.values().get("loudnessSlopeDbPerMin")).isCloseTo(dbPerMin, within(0.3));
            assertThat(e.values().get("speechMs")).isGreaterThanOrEqualTo(CONFIG.agitationMinSpeechMs());
        });
    }

    /** Agent spurts of 4 s with words spread evenly at {@code wpm}, from {@code fromMs}. */
    private static void talk(long fromMs, long speechMs, double wpm, List<SegmentItem> segments,
            List<UtteranceItem> utterances) {
        List<SegmentItem> spurts = calm(Role.AGENT, fromMs, speechMs);
        for (SegmentItem s : spurts) {
            long length = s.endMs() - s.startMs();
            int n = (int) Math.round(wpm * length / 60_000.0);
            List<WordItem> words = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long from = s.startMs() + i * length / n;
                words.add(new WordItem("word", from, from + length / n - 20, 0.9));
            }
            utterances.add(new UtteranceItem(Role.AGENT, s.startMs(), s.endMs(), "word", words));
        }
        segments.addAll(spurts);
    }

    @ParameterizedTest
    @CsvSource({"210, 1", "195, 1", "165, 0"})
    void shouldFindFastSpeechWellAboveTheAgentsOwnRate(double fastWpm, int expected) {
        List<SegmentItem> segments = new ArrayList<>();
        List<UtteranceItem> utterances = new ArrayList<>();
        talk(0, 60_000, 150, segments, utterances);
        talk(70_000, 20_000, fastWpm, segments, utterances);

        ToneResult tone = ToneAnalysis.analyze(segments, utterances, CONFIG);

        assertThat(tone.agent().speakingRateWpm()).isCloseTo(150, within(1.0));
        List<ToneEvent> fast = tone.events().stream().filter(e -> e.kind() == ToneKind.FAST_SPEECH).toList();
        assertThat(fast).hasSize(expected);
        fast.forEach(e -> {
            assertThat(e.by()).isEqualTo(Role.AGENT);
            assertThat(e.values().get("wordsPerMinute")).isCloseTo(fastWpm, within(1.0));
            assertThat(e.values().get("ratio")).isCloseTo(fastWpm / 150, within(0.02));
            assertThat(e.endMs()).isGreaterThan(70_000);
        });
    }

    @Test
    void shouldFindFastSpeechOverTheCeilingWhateverTheBaseline() {
        List<SegmentItem> segments = new ArrayList<>();
        List<UtteranceItem> utterances = new ArrayList<>();
        talk(0, 40_000, 270, segments, utterances);

        List<ToneEvent> events = ToneAnalysis.analyze(segments, utterances, CONFIG).events();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ToneKind.FAST_SPEECH);
            assertThat(e.values().get("ratio")).isCloseTo(1.0, within(0.01));
            assertThat(e.values().get("wordsPerMinute")).isGreaterThanOrEqualTo(CONFIG.fastSpeechCeilingWpm());
        });
    }

    @Test
    void shouldCountAWordForTheSpurtItLiesAtLeastHalfInside() {
        SegmentItem spurt = new SegmentItem(Role.AGENT, 1_000, 2_000, Double.NaN, Double.NaN, CALM_DBFS);
        List<WordItem> words = List.of(new WordItem("half", 800, 1_200, 0.9), new WordItem("less", 1_850, 2_200, 0.9),
                new WordItem("in", 1_400, 1_600, 0.9));

        ToneResult tone = ToneAnalysis.analyze(List.of(spurt),
                List.of(new UtteranceItem(Role.AGENT, 800, 2_200, "half less in", words)), CONFIG);

        assertThat(tone.agent().words()).isEqualTo(2);
        assertThat(tone.agent().speakingRateWpm()).isCloseTo(120, within(1e-9));
    }

    @Test
    void shouldGiveTheSameResultForTheSameInput() {
        List<SegmentItem> segments = new ArrayList<>(customerRaised(8.0, 12_000, 3_000, 0));
        segments.addAll(calm(Role.AGENT, 200, 30_000));
        List<SegmentItem> shuffled = new ArrayList<>(segments);
        java.util.Collections.reverse(shuffled);

        assertThat(ToneAnalysis.analyze(shuffled, List.of(), CONFIG))
                .isEqualTo(ToneAnalysis.analyze(segments, List.of(), CONFIG));
    }

    @Test
    void shouldGiveWithAMemoWhatAFullPassGivesAsEachPartysSpeechArrives() {
        List<SegmentItem> customer = customerRaised(8.0, 20_000, 4_000, 0.0);
        List<SegmentItem> agentSegments = new ArrayList<>();
        List<UtteranceItem> agentUtterances = new ArrayList<>();
        talk(0, 40_000, 150, agentSegments, agentUtterances);
        talk(45_000, 20_000, 230, agentSegments, agentUtterances);
        java.util.Random random = new java.util.Random(5);
        ToneAnalysis.Memo memo = new ToneAnalysis.Memo();
        List<SegmentItem> segments = new ArrayList<>();
        List<UtteranceItem> utterances = new ArrayList<>();
        int c = 0;
        int a = 0;
        ToneResult last = null;
        while (c < customer.size() || a < agentSegments.size()) {
            if (a == agentSegments.size() || c < customer.size() && random.nextBoolean()) {
                segments.add(customer.get(c++));
            } else {
                segments.add(agentSegments.get(a));
                utterances.add(agentUtterances.get(a++));
            }
            List<SegmentItem> sorted = new ArrayList<>(segments);
            sorted.sort(java.util.Comparator.comparingLong(SegmentItem::startMs));
            last = ToneAnalysis.analyze(sorted, utterances, CONFIG, memo);
            assertThat(last).as("after %d spurts", segments.size())
                    .isEqualTo(ToneAnalysis.analyze(sorted, utterances, CONFIG));
        }
        assertThat(last.events()).extracting(ToneEvent::kind).contains(ToneKind.RAISED_VOICE, ToneKind.FAST_SPEECH);
        // a party's spurt replaced by another (same count, other content) is not taken from the memo
        SegmentItem first = segments.get(0);
        List<SegmentItem> changed = new ArrayList<>(segments);
        changed.set(0, new SegmentItem(first.role(), first.startMs(), first.endMs(), first.pitchMedianHz(),
                first.pitchRangeSemitones(), first.loudnessDbfs() + 12, first.contour().stream()
                        .map(b -> new ContourBlock(b.startMs(), b.endMs(), b.loudnessDbfs() + 12, b.pitchSemitones()))
                        .toList()));
        changed.sort(java.util.Comparator.comparingLong(SegmentItem::startMs));
        ToneResult withChange = ToneAnalysis.analyze(changed, utterances, CONFIG, memo);
        assertThat(withChange).isEqualTo(ToneAnalysis.analyze(changed, utterances, CONFIG)).isNotEqualTo(last);
    }
}
