package io.earshot.ingest.protocol.audiohook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.earshot.ingest.protocol.audiohook.Messages.ClientMessage;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link AudioHookCodec#decodeClient}: any text frame either decodes
 * to a client message that keeps the codec's promises, or fails with an
 * {@link AudioHookDecodeException} that says why. Anything else thrown is a finding. The seeds
 * ({@code AudioHookCodecFuzzTestInputs/}) are the client messages of a real session.
 */
class AudioHookCodecFuzzTest {

    private static final AudioHookCodec CODEC = new AudioHookCodec();

    @FuzzTest(maxDuration = "30s")
    void decodesEveryTextFrameOrRejectsItWithADecodeError(byte[] frame) {
        String json = new String(frame, StandardCharsets.UTF_8);
        ClientMessage message;
        try {
            message = CODEC.decodeClient(json);
        } catch (AudioHookDecodeException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(message.seq()).isPositive();
        assertThat(message.serverseq()).isNotNegative();
        assertThat(message.position().isNegative()).isFalse();
        assertThat(message.id()).hasSize(36);
    }
}
