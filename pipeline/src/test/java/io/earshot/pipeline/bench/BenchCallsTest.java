package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls a benchmark runs on: call directories, and recordings exported as mono pairs side by side. */
class BenchCallsTest {

    @TempDir
    Path root;

    @Test
    void shouldReadAgentAndCallerFilesSideBySideAsOneCallNamedByTheirStem() throws Exception {
        short[] agent = tone(8000, 100);
        short[] caller = tone(8000, 700);
        Files.write(root.resolve("Shop_7_agent.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, agent));
        Files.write(root.resolve("Shop_7_caller.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, caller));
        Files.write(root.resolve("Other_customer.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, caller));
        Files.write(root.resolve("Other_agent.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, agent));
        Files.write(root.resolve("Lonely_agent.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, agent));
        Path dir = Files.createDirectory(root.resolve("call01"));
        Files.write(dir.resolve("call.wav"), WavWriter.encode(8000, SampleEncoding.PCM16, agent, caller));

        List<CallAudio> calls = BenchCalls.load(root);

        assertThat(BenchCalls.names(root)).containsExactly("call01", "Other", "Shop_7");
        assertThat(calls).hasSize(3);
        CallAudio shop = calls.get(2);
        assertThat(shop.source()).isEqualTo("Shop_7");
        assertThat(shop.agent()).containsExactly(agent);
        assertThat(shop.customer()).containsExactly(caller);
    }

    private static short[] tone(int samples, int step) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) ((i * step) % 20000 - 10000);
        }
        return s;
    }
}
