package io.earshot.ingest.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.ingest.fixtures.FrameLabels;
import io.earshot.schemas.Role;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Voice activity on the committed synthetic calls against the ground truth computed from
 * each party's clean signal (before echo, line noise and companding were added).
 */
class SpeechActivityFixtureTest {

    private static final List<String> FIGURES = new java.util.ArrayList<>();

    static List<FixtureCall> calls() {
        return FixtureCall.all();
    }

    /** Keeps the measured figures next to the test reports, for the benchmark notes. */
    @org.junit.jupiter.api.AfterAll
    static void writeFigures() throws java.io.IOException {
        java.nio.file.Path report = java.nio.file.Path.of("target", "vad-scores.txt");
        java.nio.file.Files.createDirectories(report.getParent());
        java.nio.file.Files.write(report, FIGURES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldMatchGroundTruthFramesWithF1AtLeast95PercentPerChannel(FixtureCall call) {
        List<SpeechSegment> detected = CallAnalyzer.detectSpeech(call.audio(), VadConfig.DEFAULTS);
        for (Role role : Role.values()) {
            FrameLabels.Score score = score(call, detected, role);
            FIGURES.add(call + " " + role + " frame-level " + score);
            assertThat(score.f1()).as("%s %s frame-level %s", call, role, score).isGreaterThanOrEqualTo(0.95);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldMeasureTalkTimePerRoleWithin5Percent(FixtureCall call) {
        List<SpeechSegment> detected = CallAnalyzer.detectSpeech(call.audio(), VadConfig.DEFAULTS);
        for (Role role : Role.values()) {
            long truth = call.truthSegments(role).stream().mapToLong(FixtureCall.Span::durationMs).sum();
            long measured = detected.stream().filter(s -> s.role() == role).mapToLong(SpeechSegment::durationMs).sum();
            FIGURES.add(String.format("%s %s talk time %d ms, truth %d ms (%+.1f%%)", call, role, measured, truth,
                    100.0 * (measured - truth) / truth));
            assertThat((double) measured).as("%s %s talk ms (truth %d)", call, role, truth)
                    .isBetween(truth * 0.95, truth * 1.05);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldNotReportSegmentsThatExistOnlyBecauseOfEcho(FixtureCall call) {
        List<SpeechSegment> detected = CallAnalyzer.detectSpeech(call.audio(), VadConfig.DEFAULTS);
        for (SpeechSegment s : detected) {
            long ownOverlap = call.truthSegments(s.role()).stream()
                    .mapToLong(t -> Math.max(0, Math.min(t.endMs(), s.endMs()) - Math.max(t.startMs(), s.startMs())))
                    .sum();
            assertThat(ownOverlap).as("%s: detected %s segment %d-%d ms has no speech of its own party",
                    call, s.role(), s.startMs(), s.endMs()).isGreaterThan(s.durationMs() / 2);
        }
    }

    /**
     * A channel that carries nothing but the other party's echo (30 dB down, 40 ms late) over
     * line noise must stay silent, while the speaking channel still finds its own speech. (The
     * fixture's agent channel also carries faint customer echo whose source is now gone, so
     * only the agent's recall is meaningful here, not its precision.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldKeepAChannelCarryingOnlyEchoSilent(FixtureCall call) {
        short[] agent = call.audio().agent();
        int rate = call.audio().sampleRate();
        short[] echoOnly = new short[agent.length];
        int delay = rate * 40 / 1000;
        java.util.Random noise = new java.util.Random(7);
        double gain = Math.pow(10, -30 / 20.0);
        for (int i = 0; i < agent.length; i++) {
            double echo = i >= delay ? agent[i - delay] * gain : 0;
            echoOnly[i] = (short) Math.round(echo + noise.nextGaussian() * 30);
        }
        CallAudio audio = new CallAudio(call.id() + "-echo-only", rate, agent, echoOnly);
        List<SpeechSegment> detected = CallAnalyzer.detectSpeech(audio, VadConfig.DEFAULTS);
        assertThat(detected).filteredOn(s -> s.role() == Role.CUSTOMER).isEmpty();
        assertThat(score(call, detected, Role.AGENT).recall()).isGreaterThanOrEqualTo(0.95);
    }

    /** Wideband input: the same calls at 16 kHz must give the same speech. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldDetectTheSameSpeechAt16kHz(FixtureCall call) {
        CallAudio wide = new CallAudio(call.id() + "@16k", 16000,
                io.earshot.ingest.audio.SincUpsampler2x.upsample(call.audio().agent()),
                io.earshot.ingest.audio.SincUpsampler2x.upsample(call.audio().customer()));
        List<SpeechSegment> detected = CallAnalyzer.detectSpeech(wide, VadConfig.DEFAULTS);
        for (Role role : Role.values()) {
            assertThat(score(call, detected, role).f1()).as("%s %s at 16 kHz", call, role).isGreaterThanOrEqualTo(0.95);
        }
    }

    static FrameLabels.Score score(FixtureCall call, List<SpeechSegment> detected, Role role) {
        long duration = call.audio().durationMs();
        boolean[] d = FrameLabels.of(detected.stream().filter(s -> s.role() == role).toList(),
                SpeechSegment::startMs, SpeechSegment::endMs, duration);
        boolean[] t = FrameLabels.of(call.truthSegments(role), FixtureCall.Span::startMs, FixtureCall.Span::endMs,
                duration);
        return FrameLabels.score(d, t);
    }
}
