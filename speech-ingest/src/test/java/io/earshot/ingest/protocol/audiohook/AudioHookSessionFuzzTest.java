package io.earshot.ingest.protocol.audiohook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.protocol.FuzzFrames;
import io.earshot.ingest.protocol.FuzzFrames.Frame;
import io.earshot.ingest.protocol.MutableClock;
import io.earshot.ingest.protocol.audiohook.AudioHookSession.Limits;
import io.earshot.ingest.protocol.audiohook.Messages.MediaFormat;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of a whole AudioHook connection: the input is cut into text and
 * binary frames ({@link FuzzFrames}) fed to one {@link AudioHookSession}, so the fuzzer reaches
 * the binary audio decoding behind a successful {@code open} as well as every transition.
 *
 * <p>The listener never fails, so every bad input is the client's fault and must be answered as
 * one: with a {@code disconnect} reason {@code error} whose info starts with "Client Error", never
 * "Server error" (which would mean the session itself threw on the input). Nothing may escape
 * {@code onText}/{@code onBinary}, every reply must be JSON, and audio blocks must be whole sample
 * frames at a position that never goes back. The seeds ({@code AudioHookSessionFuzzTestInputs/})
 * are recorded sessions: open in each supported format, audio, ping, pause and resume, close.
 */
class AudioHookSessionFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "e160e428-53e2-487c-977d-96989bf5c99d";

    @FuzzTest(maxDuration = "30s")
    void answersEveryFrameSequenceWithoutAServerError(byte[] data) throws Exception {
        List<String> replies = new ArrayList<>();
        AudioHookChannel channel = new AudioHookChannel() {
            @Override
            public void sendText(String json) {
                replies.add(json);
            }

            @Override
            public void sendClose(int code, String reason) {
                assertThat(code).isEqualTo(AudioHookSession.CLOSE_POLICY_VIOLATION);
            }
        };
        CheckingListener listener = new CheckingListener();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T19:00:00Z"));
        AudioHookSession session = new AudioHookSession(ID, Limits.defaults(), channel, listener, clock);

        for (Frame frame : FuzzFrames.split(data)) {
            if (frame.binary()) {
                session.onBinary(frame.bytes());
            } else {
                session.onText(frame.text());
            }
            assertThat(session.positionSamples()).isNotNegative();
        }

        for (String reply : replies) {
            JsonNode node = JSON.readTree(reply);
            if ("disconnect".equals(node.path("type").asText())) {
                assertThat(node.at("/parameters/info").asText())
                        .as("disconnect after %s", replies)
                        .doesNotStartWith("Server error");
            }
        }
    }

    /** Accepts everything, and checks what the session hands on. */
    private static final class CheckingListener implements AudioHookListener {

        private MediaFormat media;
        private long nextPosition = -1;

        @Override
        public void onOpen(Open open, MediaFormat media) {
            this.media = media;
        }

        @Override
        public void onAudio(AudioBlock block) {
            assertThat(media).as("audio before open").isNotNull();
            assertThat(block.rate()).isEqualTo(media.rate());
            assertThat(block.startSample()).isGreaterThanOrEqualTo(Math.max(0, nextPosition));
            for (short[] channel : new short[][] {block.external(), block.internal()}) {
                assertThat(channel.length == 0 || channel.length == block.sampleCount()).isTrue();
            }
            nextPosition = block.startSample() + block.sampleCount();
        }

        @Override
        public void onPaused() {
        }

        @Override
        public void onResumed(Duration discarded) {
            assertThat(discarded.isNegative()).isFalse();
        }

        @Override
        public void onClosed(String reason) {
        }

        @Override
        public void onError(int code, String message) {
            assertThat(message).isNotNull();
        }
    }
}
