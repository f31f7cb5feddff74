package io.earshot.ingest.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.fixtures.FixtureCall;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The provisional edges (the detector's decision of each frame as it arrives, without
 * look-ahead) against the decided spurts, on the fixture calls pushed a frame at a time as a
 * live call is, clean and with seeded line noise added: how soon they come, and how well they
 * match. The decided spurts stay exactly what they were without them.
 */
class ProvisionalEdgesTest {

    private static final VadConfig V = VadConfig.DEFAULTS;

    static Stream<Arguments> calls() {
        List<Arguments> out = new ArrayList<>();
        for (FixtureCall f : FixtureCall.all()) {
            out.add(Arguments.of(Named.of(f.id() + " clean", f.audio())));
            for (int dbfs : new int[] {-45, -35}) {
                out.add(Arguments.of(Named.of(f.id() + " with noise at " + dbfs + " dBFS",
                        withNoise(f.audio(), dbfs, f.id().hashCode() + dbfs))));
            }
        }
        return out.stream();
    }

    /** The call with seeded white noise of {@code dbfs} RMS added to both channels. */
    static CallAudio withNoise(CallAudio audio, double dbfs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double rms = 32768 * Math.pow(10, dbfs / 20);
        short[] a = audio.agent().clone();
        short[] c = audio.customer().clone();
        for (int i = 0; i < a.length; i++) {
            a[i] = clip(a[i] + random.nextGaussian() * rms);
            c[i] = clip(c[i] + random.nextGaussian() * rms);
        }
        return new CallAudio(audio.source() + " with noise", audio.sampleRate(), a, c);
    }

    private static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldReportEdgesSoonerThanTheDecidedOnesAndMatchMostOfThem(CallAudio audio) {
        ProvisionalAgreement live = ProvisionalAgreement.measure(audio, V, true);
        ProvisionalAgreement whole = ProvisionalAgreement.measure(audio, V, false);

        // the decided spurts are the same however the audio comes, and the provisional edges too
        assertThat(live.decided()).isEqualTo(whole.decided());
        assertThat(live.provisional().stream().map(s -> List.of(s.role(), s.startMs(), s.endMs())).toList())
                .isEqualTo(whole.provisional().stream().map(s -> List.of(s.role(), s.startMs(), s.endMs())).toList());
        assertThat(live.decided()).isNotEmpty();

        // how soon: a start once the minimum spurt has been heard; an end once the bridged gap
        // has, and at most the reach later (plus the frame that holds it and the frame windows'
        // half frame)
        long slack = 2L * V.frameMs();
        long bridge = (long) V.bridgeGapFrames() * V.frameMs();
        assertThat(live.startDelays()).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(
                (long) V.minSpurtFrames() * V.frameMs()));
        assertThat(live.endDelays()).allSatisfy(d -> assertThat(d).isBetween(bridge,
                bridge + V.voicedReachMs() + slack));
        // most ends are followed by quiet, and known once the bridged gap has passed
        assertThat(pct(live.endDelays(), 0.5)).isLessThanOrEqualTo(bridge + slack);

        // how well: frame by frame, the speaking state the provisional edges give is the one the
        // decided spurts give; few provisional spurts overlap no decided one (a false start the
        // floor shows for a moment)
        System.out.printf("provisional edges: %d decided spurts, %d provisional, %d false; state agreement %.4f;"
                        + " start known after p50 %d p90 %d ms, end known after p50 %d p90 %d ms%n",
                live.decided().size(), live.provisional().size(), live.falseStarts(), live.agreement(),
                pct(live.startDelays(), 0.5), pct(live.startDelays(), 0.9), pct(live.endDelays(), 0.5),
                pct(live.endDelays(), 0.9));
        assertThat(live.agreement()).as("share of frames where the provisional state is the decided one")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(live.falseStarts()).as("provisional spurts with no decided one")
                .isLessThanOrEqualTo(Math.max(1, live.provisional().size() / 10));
    }

    private static long pct(List<Long> values, double p) {
        return ProvisionalAgreement.pct(values, p);
    }
}
