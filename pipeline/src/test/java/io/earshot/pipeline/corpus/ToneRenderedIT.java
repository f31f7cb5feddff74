package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.analysis.avro.AvroInputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.listening.ToneAnalysis;
import io.earshot.analysis.listening.ToneConfig;
import io.earshot.analysis.listening.ToneEvent;
import io.earshot.analysis.listening.ToneKind;
import io.earshot.analysis.listening.ToneResult;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.corpus.CallMixer.MixedCall;
import io.earshot.pipeline.corpus.CallMixer.PlacedPhrase;
import io.earshot.pipeline.corpus.CallMixer.Settings;
import io.earshot.pipeline.corpus.PhraseRenderer.Phrase;
import io.earshot.schemas.Role;
import io.earshot.schemas.SpeechSegmentDetected;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tone events on rendered calls: TTS phrases placed into two-party telephone calls
 * ({@link CallMixer}: line noise, echo, mu-law), through the real speech ingest (voice
 * activity, echo removal, tone contour, and the recogniser where the speaking rate needs
 * words), each spurt through the Avro contract and back as the metric job reads it, then
 * {@link ToneAnalysis}. Calls are laid out from a fixed seed. The figures measured (excess dB,
 * pitch ranges, rates) go to {@code target/tone-rendered.txt}.
 */
class ToneRenderedIT {

    private static final long SEED = 4242;
    private static final Path REPORT = Path.of("target", "tone-rendered.txt");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ToneConfig CONFIG = ToneConfig.DEFAULTS;
    private static final double RAISE_DB = 8.0;
    /**
     * The agent's hurried lines, sox {@code tempo}: 1.7 times as fast. The recogniser misses
     * words of hurried speech (at 1.5 times it found about four in five), so the rate it
     * measures rises less than the tempo.
     */
    private static final double SPEED_UP = 1.7;

    static final List<String> AGENT_LINES = List.of(
            "thank you for calling, my name is sam, how can i help you today?",
            "i can see the account here, let me pull up the last three bills.",
            "the reading in march was estimated, so the amount came out higher than usual.",
            "what i can do is book a meter reading and correct the bill once we have it.",
            "could you tell me the date you moved into the property?",
            "that makes sense, the previous tenant left a balance that was moved to you by mistake.",
            "i will take that balance off and send you a new statement by email.",
            "is the email address ending in gmail still the right one?",
            "the refund should reach your bank within five working days.",
            "i have also added a note so nobody asks you about this again.",
            "if the meter reading shows anything unusual we will call you first.",
            "is there anything else i can help you with today?");
    static final List<String> CUSTOMER_LINES = List.of(
            "hi, i am calling about my electricity bill for last month.",
            "it is almost double what i normally pay and nothing has changed.",
            "i moved in at the start of january.",
            "yes, that is the one i use for everything.",
            "okay, and when will i see the money back?",
            "that sounds fine, thank you for sorting it out.",
            "i have been a customer for six years and never had this before.",
            "so the new statement will show the corrected amount?");
    /** Said raised: about four seconds. */
    static final List<String> LOUD_LINES = List.of("i have called three times and nobody has fixed it");

    private static PhraseRenderer phrases;
    private static VoskTranscriber asr;
    private static ExecutorService asrThreads;
    /** The figures of each test, written to {@link #REPORT} at the end. */
    private static final StringBuffer FIGURES = new StringBuffer();

    @TempDir
    static Path scratch;

    @BeforeAll
    static void openRendererAndRecogniser() throws IOException {
        phrases = PhraseRenderer.inBuildCache();
        // one recogniser: Vosk adapts across a recogniser's resets, so with two pooled ones the
        // words found would depend on which region each decoded before; one decodes the same every run
        asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 1);
        asrThreads = Executors.newFixedThreadPool(1);
    }

    @AfterAll
    static void closeAndWriteFigures() throws IOException {
        phrases.close();
        asrThreads.shutdownNow();
        asr.close();
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, FIGURES.toString(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ raised voice

    /** A calm call in which the customer says {@link #LOUD_LINES} 8 dB louder, inside one long spurt. */
    private static RaisedCall raisedCall(Settings line) throws IOException {
        Random rng = new Random(SEED);
        List<Phrase> agent = phrases.renderAll(TtsVoice.FLITE_KAL16, AGENT_LINES.subList(0, 8));
        List<Phrase> customer = phrases.renderAll(TtsVoice.ESPEAK_US_F2, CUSTOMER_LINES);
        List<Phrase> loud = phrases.renderAll(TtsVoice.ESPEAK_US_F2, LOUD_LINES);
        List<PlacedPhrase> placed = new ArrayList<>();
        int at = 500;
        long loudStart = -1;
        long loudEnd = -1;
        for (int turn = 0; turn < 8; turn++) {
            Phrase a = agent.get(turn);
            placed.add(new PlacedPhrase(Role.AGENT, at, a.samples()));
            at += a.durationMs() + 600 + rng.nextInt(300);
            Phrase c = customer.get(turn);
            placed.add(new PlacedPhrase(Role.CUSTOMER, at, c.samples()));
            at += c.durationMs();
            if (turn == 4) {
                // carried straight on, louder: one spurt, calm then raised then calm again
                for (Phrase p : loud) {
                    at += 120;
                    loudStart = loudStart < 0 ? at : loudStart;
                    placed.add(new PlacedPhrase(Role.CUSTOMER, at, p.samples(), RAISE_DB));
                    at += p.durationMs();
                }
                loudEnd = at;
                Phrase calmAgain = customer.get(7);
                at += 120;
                placed.add(new PlacedPhrase(Role.CUSTOMER, at, calmAgain.samples()));
                at += calmAgain.durationMs();
            }
            at += 600 + rng.nextInt(300);
        }
        MixedCall mixed = CallMixer.mix(placed, List.of(), at + 500, line);
        assertThat(mixed.limitedPhrases()).as("no phrase turned down to avoid clipping").isZero();
        return new RaisedCall(mixed, loudStart, loudEnd);
    }

    private record RaisedCall(MixedCall mixed, long loudStartMs, long loudEndMs) {
    }

    private static Settings line(double agentDbfs, double customerDbfs, double echoDb, int echoDelayMs) {
        return new Settings(agentDbfs, customerDbfs, echoDb, echoDelayMs, -58, SampleEncoding.PCMU,
                CallMixer.Layout.STEREO_AGENT_LEFT, SEED);
    }

    private static List<ToneEvent> raised(ToneResult tone, Role by) {
        return tone.events().stream().filter(e -> e.kind() == ToneKind.RAISED_VOICE && e.by() == by).toList();
    }

    @Test
    void shouldFindOneRaisedVoiceWhereTheCustomerSpeaksEightDbLouder() throws IOException {
        RaisedCall call = raisedCall(line(-24, -30, 30, 40));

        Heard heard = analyze("raised", call.mixed().audio("raised"), null);
        ToneResult tone = heard.tone();
        heard.segments().stream()
                .filter(x -> x.role() == Role.CUSTOMER && x.startMs() <= call.loudStartMs() && x.endMs() >= call.loudEndMs())
                .forEach(x -> figure("raised voice: the customer's spurt %d-%d ms has one loudness of %.1f dBFS",
                        x.startMs(), x.endMs(), x.loudnessDbfs()));

        assertThat(raised(tone, Role.CUSTOMER)).singleElement().satisfies(e -> {
            figure("raised voice, echo 30 dB: customer raised %.1f s at %d-%d ms, found %d-%d ms, %s",
                    (call.loudEndMs() - call.loudStartMs()) / 1000.0, call.loudStartMs(), call.loudEndMs(),
                    e.startMs(), e.endMs(), e.values());
            assertThat(e.startMs()).isBetween(call.loudStartMs() - 500, call.loudStartMs() + 500);
            assertThat(e.endMs()).isBetween(call.loudEndMs() - 500, call.loudEndMs() + 500);
            assertThat(e.values().get("excessDb")).isBetween(6.0, 10.0);
        });
        assertThat(raised(tone, Role.AGENT)).isEmpty();
    }

    @Test
    void shouldNotHearTheLoudCustomersStrongEchoAsARaisedAgent() throws IOException {
        RaisedCall call = raisedCall(line(-24, -30, 15, 45));

        ToneResult tone = analyze("raised-echo", call.mixed().audio("raised-echo"), null).tone();

        figure("raised voice, echo 15 dB 45 ms: events %s", tone.events());
        assertThat(raised(tone, Role.AGENT)).isEmpty();
        assertThat(raised(tone, Role.CUSTOMER)).singleElement().satisfies(e -> {
            assertThat(e.startMs()).isBetween(call.loudStartMs() - 500, call.loudStartMs() + 500);
            assertThat(e.endMs()).isBetween(call.loudEndMs() - 500, call.loudEndMs() + 500);
        });
    }

    @Test
    void shouldFindNothingInACalmCallWithOneChannelTwelveDbDown() throws IOException {
        Random rng = new Random(SEED + 1);
        List<Phrase> agent = phrases.renderAll(TtsVoice.FLITE_KAL16, AGENT_LINES.subList(0, 8));
        List<Phrase> customer = phrases.renderAll(TtsVoice.ESPEAK_US_F2, CUSTOMER_LINES);
        List<PlacedPhrase> placed = new ArrayList<>();
        int at = 500;
        for (int turn = 0; turn < 8; turn++) {
            placed.add(new PlacedPhrase(Role.AGENT, at, agent.get(turn).samples()));
            at += agent.get(turn).durationMs() + 600 + rng.nextInt(300);
            placed.add(new PlacedPhrase(Role.CUSTOMER, at, customer.get(turn).samples()));
            at += customer.get(turn).durationMs() + 600 + rng.nextInt(300);
        }
        MixedCall mixed = CallMixer.mix(placed, List.of(), at + 500, line(-20, -32, 30, 40));

        ToneResult tone = analyze("quiet-channel", mixed.audio("quiet-channel"), null).tone();

        figure("calm call, customer 12 dB down: baselines agent %.1f dBFS, customer %.1f dBFS, events %s",
                tone.agent().loudnessDbfs(), tone.customer().loudnessDbfs(), tone.events());
        assertThat(tone.customer().loudnessDbfs()).isLessThan(tone.agent().loudnessDbfs() - 8);
        assertThat(tone.events()).isEmpty();
    }

    // ------------------------------------------------------------------ fixtures

    @Test
    void shouldFindNoToneEventInTheCalmFixtureCalls() throws IOException {
        for (FixtureCall f : FixtureCall.all()) {
            Heard heard = analyze(f.id(), f.audio(), withWords());
            ToneResult tone = heard.tone();
            ToneConfig everySecond = new ToneConfig(0, CONFIG.raisedVoiceDb(), CONFIG.raisedVoiceMinMs(),
                    CONFIG.raisedVoiceMaxDipMs(), CONFIG.agitationMinSpeechMs(), CONFIG.agitationPitchSlope(),
                    CONFIG.agitationLoudnessSlope(), CONFIG.monotoneMaxSemitones(), CONFIG.monotoneMinSpeechMs(),
                    CONFIG.fastSpeechRatio(), CONFIG.fastSpeechCeilingWpm(), CONFIG.fastSpeechMinMs());
            ToneResult judgedFromTheStart = heard.with(everySecond);
            figure("fixture %s: speech agent %d ms (%.0f wpm), customer %d ms (%.0f wpm); events %s; judged from the "
                    + "first second %s", f.id(), tone.agent().speechMs(), tone.agent().speakingRateWpm(),
                    tone.customer().speechMs(), tone.customer().speakingRateWpm(), tone.events(),
                    judgedFromTheStart.events());
            long speechMs = tone.agent().speechMs() + tone.customer().speechMs();
            long blocks = heard.segments().stream().mapToLong(x -> x.contour().size()).sum();
            figure("fixture %s: tone contour %d bytes for %d blocks over %.1f s of speech: %.0f bytes per minute",
                    f.id(), heard.contourBytes(), blocks, speechMs / 1000.0, heard.contourBytes() * 60_000.0 / speechMs);
            // at most 10 bytes a block, and a few per spurt for the block length and the array's count
            assertThat(heard.contourBytes()).isLessThanOrEqualTo(10 * blocks + 4L * heard.segments().size());
            assertThat(tone.events()).as(f.id()).isEmpty();
            assertThat(judgedFromTheStart.events()).as(f.id() + " judged from its first second").isEmpty();
        }
    }

    // ------------------------------------------------------------------ monotone

    /**
     * The agent's twelve lines said twice (about 70 s of speech) by espeak-ng, with its normal
     * intonation or with a pitch range of 0 (SSML {@code prosody range="0"}), with short
     * customer answers between.
     */
    private static MixedCall agentMonologue(boolean flat) throws IOException {
        Random rng = new Random(SEED + 2);
        List<Phrase> customer = phrases.renderAll(TtsVoice.ESPEAK_US_F2, CUSTOMER_LINES);
        List<PlacedPhrase> placed = new ArrayList<>();
        int at = 500;
        for (int i = 0; i < 2 * AGENT_LINES.size(); i++) {
            double[] agent = espeak(AGENT_LINES.get(i % AGENT_LINES.size()), flat);
            placed.add(new PlacedPhrase(Role.AGENT, at, agent));
            at += agent.length / Levels.SAMPLES_PER_MS + 500 + rng.nextInt(300);
            if (i % 3 == 2) {
                Phrase c = customer.get(i / 3 % customer.size());
                placed.add(new PlacedPhrase(Role.CUSTOMER, at, c.samples()));
                at += c.durationMs() + 600 + rng.nextInt(300);
            }
        }
        return CallMixer.mix(placed, List.of(), at + 500, line(-20, -22, 30, 40));
    }

    @Test
    void shouldCallAFlatAgentMonotoneAndANormalOneNot() throws IOException {
        Heard flat = analyze("flat-agent", agentMonologue(true).audio("flat-agent"), null);
        Heard normal = analyze("normal-agent", agentMonologue(false).audio("normal-agent"), null);

        List<ToneEvent> monotone = flat.tone().events().stream().filter(e -> e.kind() == ToneKind.MONOTONE).toList();
        figure("monotone: flat agent speech %d ms, narrowest minute %.2f semitones, events %s",
                flat.tone().agent().speechMs(), narrowestMinute(flat), flat.tone().events());
        figure("monotone: normal agent speech %d ms, narrowest minute %.2f semitones, events %s",
                normal.tone().agent().speechMs(), narrowestMinute(normal), normal.tone().events());
        assertThat(flat.tone().agent().speechMs()).isGreaterThan(CONFIG.monotoneMinSpeechMs());
        assertThat(monotone).singleElement().satisfies(e -> {
            assertThat(e.by()).isEqualTo(Role.AGENT);
            assertThat(e.values().get("rangeSemitones")).isLessThan(CONFIG.monotoneMaxSemitones());
        });
        assertThat(normal.tone().agent().speechMs()).isGreaterThan(CONFIG.monotoneMinSpeechMs());
        assertThat(normal.tone().events()).noneMatch(e -> e.kind() == ToneKind.MONOTONE);
    }

    /**
     * The pitch range of the agent's narrowest minute: the lowest {@code monotoneMaxSemitones}
     * at which the call would have a monotone event (to 0.01 semitones).
     */
    private static double narrowestMinute(Heard heard) {
        double lo = 0;
        double hi = 24;
        while (hi - lo > 0.01) {
            double mid = (lo + hi) / 2;
            ToneConfig c = new ToneConfig(CONFIG.baselineMinSpeechMs(), CONFIG.raisedVoiceDb(), CONFIG.raisedVoiceMinMs(),
                    CONFIG.raisedVoiceMaxDipMs(), CONFIG.agitationMinSpeechMs(), CONFIG.agitationPitchSlope(),
                    CONFIG.agitationLoudnessSlope(), mid, CONFIG.monotoneMinSpeechMs(), CONFIG.fastSpeechRatio(),
                    CONFIG.fastSpeechCeilingWpm(), CONFIG.fastSpeechMinMs());
            if (heard.with(c).events().stream().anyMatch(e -> e.kind() == ToneKind.MONOTONE)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    // ------------------------------------------------------------------ agitation

    /**
     * The customer's eight lines said three times (about 70 s of speech) with short agent
     * replies between; rising, each line is said higher and louder than the one before, from
     * 3 semitones under the voice to 3 over (sox {@code pitch}) and from 4 dB under the level
     * to 4 dB over.
     */
    private static MixedCall customerStory(boolean rising) throws IOException {
        Random rng = new Random(SEED + 4);
        List<Phrase> agent = phrases.renderAll(TtsVoice.FLITE_KAL16, AGENT_LINES);
        List<PlacedPhrase> placed = new ArrayList<>();
        int lines = 3 * CUSTOMER_LINES.size();
        int at = 500;
        for (int i = 0; i < lines; i++) {
            double progress = (double) i / (lines - 1);
            int cents = rising ? (int) Math.round((-300 + 600 * progress) / 50) * 50 : 0;
            Phrase c = phrases.render(TtsVoice.ESPEAK_US_F2.withPitch(cents), CUSTOMER_LINES.get(i % CUSTOMER_LINES.size()));
            placed.add(new PlacedPhrase(Role.CUSTOMER, at, c.samples(), rising ? -4 + 8 * progress : 0));
            at += c.durationMs() + 400 + rng.nextInt(300);
            if (i % 3 == 2) {
                Phrase a = agent.get(i / 3 % agent.size());
                placed.add(new PlacedPhrase(Role.AGENT, at, a.samples()));
                at += a.durationMs() + 600 + rng.nextInt(300);
            }
        }
        return CallMixer.mix(placed, List.of(), at + 500, line(-22, -26, 30, 40));
    }

    @Test
    void shouldFindAgitationWhenTheCustomerGetsHigherAndLouderAndNotWhenCalm() throws IOException {
        ToneResult rising = analyze("rising", customerStory(true).audio("rising"), null).tone();
        Heard calmHeard = analyze("calm-story", customerStory(false).audio("calm-story"), null);
        ToneResult calm = calmHeard.tone();
        ToneConfig anyRise = new ToneConfig(CONFIG.baselineMinSpeechMs(), CONFIG.raisedVoiceDb(), CONFIG.raisedVoiceMinMs(),
                CONFIG.raisedVoiceMaxDipMs(), CONFIG.agitationMinSpeechMs(), 0, 0, CONFIG.monotoneMaxSemitones(),
                CONFIG.monotoneMinSpeechMs(), CONFIG.fastSpeechRatio(), CONFIG.fastSpeechCeilingWpm(), CONFIG.fastSpeechMinMs());
        figure("agitation: calm customer, the steepest stretch rising at all: %s", calmHeard.with(anyRise).events().stream()
                .filter(e -> e.kind() == ToneKind.AGITATION).map(ToneEvent::values).toList());

        figure("agitation: rising customer, speech %d ms, events %s", rising.customer().speechMs(), rising.events());
        figure("agitation: calm customer, speech %d ms, events %s", calm.customer().speechMs(), calm.events());
        assertThat(rising.customer().speechMs()).isGreaterThan(CONFIG.agitationMinSpeechMs());
        assertThat(rising.events()).filteredOn(e -> e.kind() == ToneKind.AGITATION).singleElement()
                .satisfies(e -> assertThat(e.by()).isEqualTo(Role.CUSTOMER));
        assertThat(calm.customer().speechMs()).isGreaterThan(CONFIG.agitationMinSpeechMs());
        assertThat(calm.events()).isEmpty();
    }

    // ------------------------------------------------------------------ fast speech

    @Test
    void shouldFindFastSpeechWhenTheAgentHurries() throws IOException {
        Random rng = new Random(SEED + 3);
        List<Phrase> agent = phrases.renderAll(TtsVoice.FLITE_KAL16, AGENT_LINES);
        List<Phrase> customer = phrases.renderAll(TtsVoice.ESPEAK_US_F2, CUSTOMER_LINES);
        List<PlacedPhrase> placed = new ArrayList<>();
        int at = 500;
        long fastFrom = -1;
        for (int i = 0; i < 2 * agent.size(); i++) {
            boolean fast = i >= agent.size();
            double[] samples = fast ? tempo(agent.get(i - agent.size()).samples(), SPEED_UP) : agent.get(i).samples();
            fastFrom = fast && fastFrom < 0 ? at : fastFrom;
            placed.add(new PlacedPhrase(Role.AGENT, at, samples));
            at += samples.length / Levels.SAMPLES_PER_MS + 400 + rng.nextInt(300);
            if (i % 3 == 2) {
                Phrase c = customer.get(i / 3 % customer.size());
                placed.add(new PlacedPhrase(Role.CUSTOMER, at, c.samples()));
                at += c.durationMs() + 600 + rng.nextInt(300);
            }
        }
        MixedCall mixed = CallMixer.mix(placed, List.of(), at + 500, line(-20, -22, 30, 40));
        long spedUpFrom = fastFrom;

        Heard heard = analyze("fast-agent", mixed.audio("fast-agent"), withWords());
        ToneResult tone = heard.tone();
        Heard calmPart = new Heard(heard.segments().stream().filter(x -> x.endMs() < spedUpFrom).toList(),
                heard.utterances().stream().filter(u -> u.endMs() < spedUpFrom).toList(), null, 0);
        figure("fast speech: before the speed-up, the fastest 20 s of agent speech runs at %.2f times the rest",
                fastestRatio(calmPart));
        assertThat(fastestRatio(calmPart)).as("the agent's own pace before it hurries").isLessThan(CONFIG.fastSpeechRatio());

        List<ToneEvent> fast = tone.events().stream().filter(e -> e.kind() == ToneKind.FAST_SPEECH).toList();
        figure("fast speech: agent median %.0f wpm over %d words, sped up %.1f times from %d ms, events %s",
                tone.agent().speakingRateWpm(), tone.agent().words(), SPEED_UP, spedUpFrom, tone.events());
        assertThat(fast).singleElement().satisfies(e -> {
            assertThat(e.by()).isEqualTo(Role.AGENT);
            assertThat(e.endMs()).isGreaterThan(spedUpFrom);
            assertThat(e.values().get("ratio")).isGreaterThanOrEqualTo(CONFIG.fastSpeechRatio());
        });
        assertThat(tone.agent().speakingRateWpm()).isLessThan(CONFIG.fastSpeechCeilingWpm());
    }

    // ------------------------------------------------------------------ the path under test

    /** The lowest {@code fastSpeechRatio} at which the call would have fast speech (ceiling out of the way). */
    private static double fastestRatio(Heard heard) {
        double lo = 1.0;
        double hi = 3.0;
        while (hi - lo > 0.005) {
            double mid = (lo + hi) / 2;
            ToneConfig c = new ToneConfig(CONFIG.baselineMinSpeechMs(), CONFIG.raisedVoiceDb(), CONFIG.raisedVoiceMinMs(),
                    CONFIG.raisedVoiceMaxDipMs(), CONFIG.agitationMinSpeechMs(), CONFIG.agitationPitchSlope(),
                    CONFIG.agitationLoudnessSlope(), CONFIG.monotoneMaxSemitones(), CONFIG.monotoneMinSpeechMs(), mid,
                    10_000, CONFIG.fastSpeechMinMs());
            if (heard.with(c).events().stream().anyMatch(e -> e.kind() == ToneKind.FAST_SPEECH)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Speech ingest with the recogniser, for the speaking rate. */
    private static CallAnalyzer withWords() {
        return new CallAnalyzer(VadConfig.DEFAULTS, asr, asrThreads);
    }

    /** A call as the metric job would see it, and its tone. */
    private record Heard(List<SegmentItem> segments, List<UtteranceItem> utterances, ToneResult tone,
            long contourBytes) {

        ToneResult with(ToneConfig config) {
            return ToneAnalysis.analyze(segments, utterances, config);
        }
    }

    /**
     * Speech ingest on the audio (with the recogniser when {@code analyzer} has one), each spurt
     * through {@code SpeechSegmentDetected} and back as the metric job reads it, then the tone.
     */
    private static Heard analyze(String id, CallAudio audio, CallAnalyzer analyzer) throws IOException {
        CallAnalysis analysis = analyzer != null ? analyzer.analyze(audio)
                : new CallAnalysis(id, audio.sampleRate(), audio.durationMs(), VadConfig.DEFAULTS,
                        CallAnalyzer.detectSpeech(audio, VadConfig.DEFAULTS), List.of());
        List<SegmentItem> segments = new ArrayList<>();
        List<UtteranceItem> utterances = new ArrayList<>();
        long contourBytes = 0;
        for (CallEvent e : CallEvents.of(id, "agent-1", "team", null, 0, analysis)) {
            if (e.kind == CallEvent.Kind.SEGMENT) {
                SpeechSegmentDetected avro = (SpeechSegmentDetected) AvroInputs.toAvro(e);
                contourBytes += avro.toByteBuffer().remaining() - SpeechSegmentDetected.newBuilder(avro)
                        .setContourBlockMs(0).setContour(List.of()).build().toByteBuffer().remaining();
                CallEvent read = AvroInputs.toCallEvent(avro, e.eventTimeMs).orElseThrow();
                assertThat(read.contour).as("contour of %s", e).hasSameSizeAs(e.contour).isNotEmpty();
                segments.add(SegmentItem.of(read));
            } else if (e.kind == CallEvent.Kind.UTTERANCE) {
                utterances.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
            }
        }
        return new Heard(segments, utterances, ToneAnalysis.analyze(segments, utterances, CONFIG), contourBytes);
    }

    private static void figure(String format, Object... args) {
        FIGURES.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    // ------------------------------------------------------------------ audio helpers

    /** espeak-ng en-us at the corpus rate, flat ({@code prosody range="0"}) or as it speaks, trimmed like any phrase. */
    private static double[] espeak(String text, boolean flat) throws IOException {
        Path wav = Files.createTempFile(scratch, "espeak", ".wav");
        String input = flat ? "<speak><prosody range=\"0\">" + text + "</prosody></speak>" : text;
        List<String> command = new ArrayList<>(List.of("espeak-ng", "-v", "en-us", "-s",
                Integer.toString(PhraseRenderer.ESPEAK_WORDS_PER_MINUTE), "-w", wav.toString()));
        if (flat) {
            command.add("-m");
        }
        command.add(input);
        ExternalCommand.run(command, TIMEOUT);
        Path raw = Files.createTempFile(scratch, "espeak", ".f32");
        ExternalCommand.run(List.of("sox", "-R", "-V1", wav.toString(), "-t", "raw", "-e", "floating-point", "-b", "32",
                "-c", "1", raw.toString(), "rate", "-v", Integer.toString(PhraseRenderer.RATE)), TIMEOUT);
        return PhraseRenderer.trim(readFloats(raw), TtsVoice.ESPEAK_US, text);
    }

    /** The samples sped up by {@code factor} with sox {@code tempo -s} (pitch kept). */
    private static double[] tempo(double[] samples, double factor) throws IOException {
        Path in = Files.createTempFile(scratch, "slow", ".f32");
        Path out = Files.createTempFile(scratch, "fast", ".f32");
        ByteBuffer b = ByteBuffer.allocate(4 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : samples) {
            b.putFloat((float) v);
        }
        Files.write(in, b.array());
        List<String> raw = List.of("-t", "raw", "-r", Integer.toString(PhraseRenderer.RATE), "-e", "floating-point",
                "-b", "32", "-c", "1");
        List<String> command = new ArrayList<>(List.of("sox", "-R", "-V1"));
        command.addAll(raw);
        command.add(in.toString());
        command.addAll(raw);
        command.add(out.toString());
        command.addAll(List.of("tempo", "-s", String.format(Locale.ROOT, "%.2f", factor)));
        ExternalCommand.run(command, TIMEOUT);
        return readFloats(out);
    }

    private static double[] readFloats(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] x = new double[b.remaining() / 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.getFloat();
        }
        return x;
    }
}
