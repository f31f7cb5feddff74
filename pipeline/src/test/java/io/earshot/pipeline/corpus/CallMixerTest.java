package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.pipeline.corpus.CallMixer.Layout;
import io.earshot.pipeline.corpus.CallMixer.MixedCall;
import io.earshot.pipeline.corpus.CallMixer.NoiseBurst;
import io.earshot.pipeline.corpus.CallMixer.PlacedPhrase;
import io.earshot.pipeline.corpus.CallMixer.Settings;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CallMixerTest {

    private static final Settings LINE = new Settings(-19, -23, 30, 40, -58, SampleEncoding.PCM16,
            Layout.STEREO_AGENT_LEFT, 11);

    /**
     * A speech-like stand-in: a 150 Hz buzz with harmonics up to 3 kHz, syllable-modulated at
     * 4 Hz, with 10 ms fades; no synthesiser needed.
     */
    private static double[] phrase(int ms, double amplitude) {
        double[] x = new double[ms * 8];
        for (int i = 0; i < x.length; i++) {
            double buzz = 0;
            for (int h = 1; h <= 20; h++) {
                buzz += Math.sin(2 * Math.PI * 150 * h * i / 8000.0) / h;
            }
            double syllable = 0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * i / 8000.0);
            x[i] = amplitude * buzz * syllable;
        }
        Levels.fadeIn(x, 80);
        Levels.fadeOut(x, 80);
        return x;
    }

    private static double activeDb(double[] clean, int fromMs, int toMs) {
        return Levels.activeLevelDb(Arrays.copyOfRange(clean, fromMs * 8, toMs * 8));
    }

    @Test
    void shouldPlayEachRoleAtItsActiveSpeechLevel() {
        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.AGENT, 500, phrase(1500, 0.05)),
                new PlacedPhrase(Role.CUSTOMER, 2500, phrase(1200, 0.3))), List.of(), 4000, LINE);

        assertThat(activeDb(call.clean().get(Role.AGENT), 400, 2100)).isCloseTo(-19, within(0.5));
        assertThat(activeDb(call.clean().get(Role.CUSTOMER), 2400, 3800)).isCloseTo(-23, within(0.5));
    }

    @Test
    void shouldTakeTruthFromTheCleanSignalsSoEchoIsNoSpeech() {
        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.AGENT, 500, phrase(1500, 0.1))), List.of(),
                3000, LINE);

        assertThat(call.truth()).hasSize(1);
        TruthSegment spurt = call.truth().get(0);
        assertThat(spurt.role()).isEqualTo(Role.AGENT);
        assertThat(spurt.startMs()).isBetween(480L, 520L);
        assertThat(spurt.endMs()).isBetween(1980L, 2020L);
    }

    @Test
    void shouldLeakTheOtherPartyAttenuatedAndDelayedIntoEachChannel() {
        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.AGENT, 500, phrase(1500, 0.1))), List.of(),
                3000, LINE);
        double[] agent = call.clean().get(Role.AGENT);
        short[] customerLine = call.line().get(Role.CUSTOMER);
        int bestLagMs = -1;
        double best = -1;
        for (int lagMs = 0; lagMs <= 80; lagMs++) {
            double c = 0;
            for (int i = 600 * 8; i < 1900 * 8; i++) {
                c += agent[i] * customerLine[i + lagMs * 8];
            }
            if (c > best) {
                best = c;
                bestLagMs = lagMs;
            }
        }
        double echoDb = Levels.rmsDbfs(toDouble(customerLine), 600 * 8 + 320, 1900 * 8 + 320);
        double speechDb = Levels.rmsDbfs(agent, 600 * 8, 1900 * 8);

        assertThat(bestLagMs).isEqualTo(40);
        assertThat(speechDb - echoDb).isCloseTo(30, within(1.0));
    }

    @Test
    void shouldAddLineNoiseAtItsLevelWhereNobodySpeaks() {
        MixedCall call = CallMixer.mix(List.of(), List.of(), 2000, LINE);

        for (Role role : Role.values()) {
            assertThat(Levels.rmsDbfs(toDouble(call.line().get(role)), 0, 16000)).isCloseTo(-58, within(0.3));
            assertThat(call.truth()).isEmpty();
        }
    }

    @Test
    void shouldPlayAPhraseQuieterRatherThanClip() {
        double[] spiky = new double[8000];
        for (int i = 0; i < spiky.length; i += 400) {
            spiky[i] = 0.5;
        }
        Settings loud = new Settings(-10, -10, 30, 40, -58, SampleEncoding.PCMU, Layout.MONO_PAIR, 5);

        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.CUSTOMER, 100, spiky)), List.of(), 1500, loud);

        assertThat(call.limitedPhrases()).isEqualTo(1);
        for (Role role : Role.values()) {
            for (short s : call.line().get(role)) {
                assertThat(Math.abs(s)).isLessThan(32000);
            }
        }
    }

    @Test
    void shouldMixTheSameCallForTheSameSeedAndAnotherForAnother() {
        List<PlacedPhrase> phrases = List.of(new PlacedPhrase(Role.AGENT, 100, phrase(500, 0.1)));
        List<NoiseBurst> bursts = List.of(new NoiseBurst(Role.CUSTOMER, 800, 400, NoiseBurst.Kind.LAUGH));
        Settings other = new Settings(-19, -23, 30, 40, -58, SampleEncoding.PCM16, Layout.STEREO_AGENT_LEFT, 12);

        MixedCall a = CallMixer.mix(phrases, bursts, 1500, LINE);
        MixedCall b = CallMixer.mix(phrases, bursts, 1500, LINE);
        MixedCall c = CallMixer.mix(phrases, bursts, 1500, other);

        assertThat(b.line().get(Role.CUSTOMER)).isEqualTo(a.line().get(Role.CUSTOMER));
        assertThat(c.line().get(Role.CUSTOMER)).isNotEqualTo(a.line().get(Role.CUSTOMER));
    }

    @Test
    void shouldDrawLinesWithinTheirRanges() {
        Random rng = new Random(1);
        for (int i = 0; i < 300; i++) {
            Settings s = Settings.draw(rng);
            assertThat(s.agentLevelDbfs()).isBetween(-24.0, -18.0);
            assertThat(s.customerLevelDbfs()).isBetween(-24.0, -18.0);
            assertThat(s.echoAttenuationDb()).isBetween(26.0, 33.0);
            assertThat(s.echoDelayMs()).isBetween(24, 56);
            assertThat(s.noiseDbfs()).isBetween(-60.0, -56.0);
            assertThat(s.encoding()).isIn(SampleEncoding.PCMU, SampleEncoding.PCM16);
        }
    }

    @Test
    void shouldMakeBreathsAndLaughsSpurtsOfTheirOwnRoleUnderItsSpeechLevel() {
        MixedCall call = CallMixer.mix(List.of(), List.of(new NoiseBurst(Role.CUSTOMER, 200, 400, NoiseBurst.Kind.BREATH),
                new NoiseBurst(Role.AGENT, 1000, 800, NoiseBurst.Kind.LAUGH)), 2500, LINE);

        assertThat(call.truth()).extracting(TruthSegment::role).containsExactly(Role.CUSTOMER, Role.AGENT);
        assertThat(call.truth().get(0).startMs()).isBetween(200L, 400L);
        assertThat(call.truth().get(1).endMs()).isBetween(1500L, 1800L);
        assertThat(Levels.rmsDbfs(call.clean().get(Role.CUSTOMER), 200 * 8, 600 * 8)).isBetween(-23 - 20.0, -23 - 10.0);
        assertThat(Levels.rmsDbfs(call.clean().get(Role.AGENT), 1000 * 8, 1800 * 8)).isBetween(-19 - 10.0, -19 - 3.0);
    }

    @ParameterizedTest
    @EnumSource(NoiseBurst.Kind.class)
    void shouldMakeEachWordlessSoundOneSpurtSpanningMostOfItsLength(NoiseBurst.Kind kind) {
        for (int lengthMs : new int[] {150, 400, 700}) {
            MixedCall call = CallMixer.mix(List.of(), List.of(new NoiseBurst(Role.AGENT, 1000, lengthMs, kind)), 2500,
                    LINE);

            assertThat(call.truth()).as("%s of %d ms", kind, lengthMs).singleElement().satisfies(s -> {
                assertThat(s.role()).isEqualTo(Role.AGENT);
                // the zero-phase band rings a sharp click into the frame before it
                assertThat(s.startMs()).isBetween(980L, 1000L + lengthMs / 4);
                assertThat(s.endMs()).isBetween(1000L + lengthMs * 3 / 4, 1000L + lengthMs + 20);
            });
        }
    }

    @Test
    void shouldWriteStereoWithTheAgentOnTheChosenSideAndTheTruthAsRttm(@TempDir Path dir) throws IOException {
        Settings right = new Settings(-19, -23, 30, 40, -58, SampleEncoding.PCMU, Layout.STEREO_AGENT_RIGHT, 11);
        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.AGENT, 500, phrase(600, 0.1))), List.of(),
                1500, right);

        List<Path> files = call.write(dir, "call-1");
        CallAudio read = CallAudio.load(files, AgentChannel.RIGHT);

        assertThat(files).containsExactly(dir.resolve("call.wav"));
        assertThat(read.agent()).isEqualTo(call.line().get(Role.AGENT));
        assertThat(read.customer()).isEqualTo(call.line().get(Role.CUSTOMER));
        assertThat(Files.readAllLines(dir.resolve("truth.rttm"))).singleElement().asString()
                .startsWith("SPEAKER call-1 1 0.").contains(" agent ");
    }

    @Test
    void shouldWriteAMonoPairAgentFirst(@TempDir Path dir) throws IOException {
        Settings pair = new Settings(-19, -23, 30, 40, -58, SampleEncoding.PCM16, Layout.MONO_PAIR, 11);
        MixedCall call = CallMixer.mix(List.of(new PlacedPhrase(Role.CUSTOMER, 500, phrase(600, 0.1))), List.of(),
                1500, pair);

        List<Path> files = call.write(dir, "call-2");
        CallAudio read = CallAudio.load(files, AgentChannel.LEFT);

        assertThat(files).containsExactly(dir.resolve("agent.wav"), dir.resolve("customer.wav"));
        assertThat(read.customer()).isEqualTo(call.line().get(Role.CUSTOMER));
    }

    private static double[] toDouble(short[] s) {
        double[] x = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            x[i] = s[i] / 32768.0;
        }
        return x;
    }
}
