package io.earshot.pipeline.bench;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.CallAudio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The recorded calls a benchmark runs on: every sub-directory of the fixture folder holding
 * one stereo WAV or an agent/customer pair of mono WAVs. Which channel is the agent does not
 * matter to throughput, so stereo files are read agent-left.
 */
final class BenchCalls {

    private BenchCalls() {
    }

    static List<CallAudio> load(Path root) throws IOException {
        List<CallAudio> calls = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                List<Path> wavs;
                try (Stream<Path> files = Files.list(dir)) {
                    wavs = files.filter(f -> f.toString().endsWith(".wav")).sorted().toList();
                }
                if (wavs.size() == 1) {
                    calls.add(CallAudio.load(wavs, AgentChannel.LEFT));
                } else if (wavs.size() == 2) {
                    Path agent = dir.resolve("agent.wav");
                    Path customer = dir.resolve("customer.wav");
                    calls.add(CallAudio.load(List.of(agent, customer), AgentChannel.LEFT));
                }
            }
        }
        if (calls.isEmpty()) {
            throw new IOException(root + ": no recorded calls found");
        }
        return calls;
    }

    static double audioSeconds(List<CallAudio> calls) {
        return calls.stream().mapToLong(CallAudio::durationMs).sum() / 1000.0;
    }
}
