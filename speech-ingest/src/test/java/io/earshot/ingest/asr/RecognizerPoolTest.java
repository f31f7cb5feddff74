package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The recognizer pool bounds native memory and keeps word times right across reuse. */
class RecognizerPoolTest {

    private static final Path MODEL = Path.of(System.getProperty("earshot.model"));

    /** The first agent turn of the first fixture call, with 300 ms either side. */
    private static short[] firstAgentTurn(FixtureCall call, long[] startMs) {
        FixtureCall.TruthUtterance first = call.utterances().stream().filter(u -> u.role() == Role.AGENT)
                .findFirst().orElseThrow();
        int rate = call.audio().sampleRate();
        long from = Math.max(0, first.startMs() - 300);
        startMs[0] = from;
        return Arrays.copyOfRange(call.audio().agent(), (int) (from * rate / 1000),
                (int) Math.min(call.audio().agent().length, (first.endMs() + 300) * rate / 1000));
    }

    @Test
    void shouldGiveTheSameWordTimesWhenARecognizerIsReused() throws IOException {
        FixtureCall call = FixtureCall.all().get(0);
        long[] start = new long[1];
        short[] region = firstAgentTurn(call, start);
        try (VoskTranscriber asr = VoskTranscriber.open(MODEL, 1)) {
            List<Utterance> first = asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0]);
            List<Utterance> again = asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0] + 60_000);
            assertThat(asr.pool().created()).isEqualTo(1);
            assertThat(first).isNotEmpty();
            assertThat(again).hasSameSizeAs(first);
            for (int i = 0; i < first.size(); i++) {
                assertThat(again.get(i).text()).isEqualTo(first.get(i).text());
                assertThat(again.get(i).startMs()).isEqualTo(first.get(i).startMs() + 60_000);
                assertThat(again.get(i).endMs()).isEqualTo(first.get(i).endMs() + 60_000);
            }
        }
    }

    @Test
    void shouldNeverCreateMoreRecognizersThanThePoolSize() throws Exception {
        FixtureCall call = FixtureCall.all().get(0);
        long[] start = new long[1];
        short[] region = firstAgentTurn(call, start);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (VoskTranscriber asr = VoskTranscriber.open(MODEL, 2)) {
            List<Future<List<Utterance>>> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(threads.submit(() -> asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0])));
            }
            String expected = null;
            for (Future<List<Utterance>> job : jobs) {
                String text = job.get().stream().map(Utterance::text).reduce("", (a, b) -> a + " " + b).trim();
                assertThat(text).isNotBlank();
                if (expected == null) {
                    expected = text;
                }
                assertThat(text).isEqualTo(expected);
            }
            assertThat(asr.pool().created()).isBetween(1, 2);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void shouldRejectADirectoryThatIsNotAVoskModel(@org.junit.jupiter.api.io.TempDir Path empty) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VoskTranscriber.open(empty, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("not a Vosk model directory");
    }
}
