package io.earshot.ingest.dsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How far into the audio the detector reports a spurt's end and a spurt's start, pushed a
 * frame at a time as a live call is: a frame is decided as soon as what has been classified
 * settles it, so the end of a spurt followed by quiet is known once the bridged gap has been
 * classified (300 ms of look-ahead), not after the full 600 ms; and pushing the audio a frame at
 * a time or all at once gives the same spurts.
 */
class SpeechDecisionDelayTest {

    static List<FixtureCall> calls() {
        return FixtureCall.all();
    }

    private record Reported(String what, long atMs, long knownAtMs) {
    }

    private static List<Reported> run(CallAudio audio, int block, List<SpeechSegment> segments) {
        List<Reported> out = new ArrayList<>();
        long[] pushed = {0};
        int rate = audio.sampleRate();
        CallSpeechTracker tracker = new CallSpeechTracker(rate, VadConfig.DEFAULTS, new SpeechHandler() {
            @Override
            public void onSpeechStart(Role role, long atMs) {
                out.add(new Reported("start " + role, atMs, pushed[0] * 1000 / rate));
            }

            @Override
            public void onSegment(SpeechSegment segment) {
                segments.add(segment);
                out.add(new Reported("end " + segment.role(), segment.endMs(), pushed[0] * 1000 / rate));
            }
        });
        short[] a = audio.agent();
        short[] c = audio.customer();
        for (int from = 0; from < a.length; from += block) {
            int n = Math.min(block, a.length - from);
            pushed[0] = from + n;
            tracker.push(a, c, from, n);
        }
        pushed[0] = Long.MAX_VALUE / 2000;
        tracker.finish();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldReportSpurtEndsFollowedByQuietWithHalfTheLookAhead(FixtureCall call) {
        CallAudio audio = call.audio();
        int frame = audio.sampleRate() * VadConfig.DEFAULTS.frameMs() / 1000;
        List<SpeechSegment> live = new ArrayList<>();
        List<Reported> reported = run(audio, frame, live);
        List<SpeechSegment> whole = new ArrayList<>();
        run(audio, audio.agent().length, whole);

        assertThat(live).isEqualTo(whole);
        VadConfig v = VadConfig.DEFAULTS;
        long fullLookAhead = (long) (v.bridgeGapFrames() - 1) * v.frameMs() + 2L * v.voicedReachMs();
        List<Long> endDelays = new ArrayList<>();
        for (Reported r : reported) {
            if (r.knownAtMs() < audio.durationMs()) {
                long delay = r.knownAtMs() - r.atMs();
                // never later than with the full look-ahead (plus the frame windows' half frame and a frame)
                assertThat(delay).as(r.toString()).isLessThanOrEqualTo(fullLookAhead + 2L * v.frameMs());
                if (r.what().startsWith("end")) {
                    endDelays.add(delay);
                }
            }
        }
        // with the full look-ahead every end came 860 ms after it; most ends are followed by quiet
        endDelays.sort(null);
        assertThat(endDelays).isNotEmpty();
        assertThat(endDelays.get(endDelays.size() / 2))
                .isLessThanOrEqualTo((long) (v.bridgeGapFrames() - 1) * v.frameMs() + v.voicedReachMs() + 2L * v.frameMs());
    }
}
