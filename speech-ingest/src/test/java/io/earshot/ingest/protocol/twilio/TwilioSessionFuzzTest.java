package io.earshot.ingest.protocol.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.earshot.ingest.protocol.FuzzFrames;
import io.earshot.ingest.protocol.FuzzFrames.Frame;
import io.earshot.ingest.protocol.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Coverage-guided fuzzing of a whole Twilio Media Stream: the input is cut into frames
 * ({@link FuzzFrames}; all are fed as text, as Twilio sends only text) for one
 * {@link TwilioSession}, so the fuzzer reaches the base64 mu-law payloads and the track aligner
 * behind a valid {@code start}.
 *
 * <p>The listener never fails, so every bad input is the sender's fault and must close the socket
 * with a protocol code (1002, 1003, 1009), never 1011 (which would mean the session itself threw on
 * the input). Audio must come as both channels of equal length, each block starting where the
 * previous one ended. The seeds ({@code TwilioSessionFuzzTestInputs/}) are recorded streams.
 */
class TwilioSessionFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void closesEveryBadStreamWithAProtocolCodeNeverAnInternalError(byte[] data) {
        TwilioChannel channel = new TwilioChannel() {
            @Override
            public void sendText(String text) {
            }

            @Override
            public void close(int code, String reason) {
                assertThat(code).as("close code, reason %s", reason).isIn(TwilioSession.CLOSE_PROTOCOL_ERROR,
                        TwilioSession.CLOSE_UNSUPPORTED_DATA, TwilioSession.CLOSE_MESSAGE_TOO_BIG);
            }
        };
        CheckingListener listener = new CheckingListener();
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        TwilioSession session = new TwilioSession(channel, listener, clock, TwilioSessionConfig.defaults());

        for (Frame frame : FuzzFrames.split(data)) {
            session.onText(frame.text());
            if (frame.binary()) {
                // the odd frame kinds also let wall time pass, so buffered audio is released by poll
                clock.advance(Duration.ofMillis(TwilioSessionConfig.DEFAULT_MAX_LAG_MS));
                session.poll();
            }
        }
        session.onTransportClosed(1000, "end of input");
    }

    /** Accepts everything, and checks the audio it is handed. */
    private static final class CheckingListener implements TwilioListener {

        private long nextPosition = -1;

        @Override
        public void onStart(String callSid, String streamSid, Map<String, String> customParameters) {
        }

        @Override
        public void onAudio(short[] agent, short[] customer, long positionSamples) {
            assertThat(agent.length).isEqualTo(customer.length);
            if (nextPosition < 0) {
                assertThat(positionSamples).isNotNegative();
            } else {
                assertThat(positionSamples).isEqualTo(nextPosition);
            }
            nextPosition = positionSamples + agent.length;
        }

        @Override
        public void onMark(String name) {
        }

        @Override
        public void onDtmf(String digit) {
        }

        @Override
        public void onStop() {
        }

        @Override
        public void onError(String reason) {
            assertThat(reason).isNotBlank();
        }
    }
}
