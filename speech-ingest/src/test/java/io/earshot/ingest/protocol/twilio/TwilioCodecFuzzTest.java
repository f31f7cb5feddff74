package io.earshot.ingest.protocol.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link TwilioCodec#decode}: any text frame either decodes to a
 * message that keeps the codec's promises (non-negative numbers, known tracks) or fails with a
 * {@link TwilioDecodeException} that says why. Anything else thrown is a finding. The seeds
 * ({@code TwilioCodecFuzzTestInputs/}) are the messages of a real stream: connected, start,
 * media on both tracks, mark, dtmf and stop.
 */
class TwilioCodecFuzzTest {

    private static final TwilioCodec CODEC = new TwilioCodec();

    @FuzzTest(maxDuration = "30s")
    void decodesEveryTextFrameOrRejectsItWithADecodeError(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        Messages message;
        try {
            message = CODEC.decode(text);
        } catch (TwilioDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(message).isNotNull();
        if (message instanceof Media m) {
            assertThat(m.track()).isNotNull();
            assertThat(m.sequenceNumber()).isNotNegative();
            assertThat(m.chunk()).isNotNegative();
            assertThat(m.timestampMs()).isNotNegative();
        } else if (message instanceof Start s) {
            assertThat(s.tracks()).isNotEmpty().doesNotContainNull();
            assertThat(s.sequenceNumber()).isNotNegative();
        }
    }
}
