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
 * one stereo WAV or an agent/customer pair of mono WAVs, and every {@code NAME_agent.wav} in
 * the folder itself with its {@code NAME_caller.wav} or {@code NAME_customer.wav}. Which channel is the agent does not
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
        calls.addAll(pairs(root));
        if (calls.isEmpty()) {
            throw new IOException(root + ": no recorded calls found");
        }
        return calls;
    }

    /**
     * Calls given as mono files side by side in {@code root}: {@code NAME_agent.wav} with
     * {@code NAME_caller.wav} or {@code NAME_customer.wav}, as recordings are often exported.
     */
    private static List<CallAudio> pairs(Path root) throws IOException {
        List<CallAudio> calls = new ArrayList<>();
        List<Path> agents;
        try (Stream<Path> files = Files.list(root)) {
            agents = files.filter(f -> f.getFileName().toString().endsWith(AGENT_SUFFIX)).sorted().toList();
        }
        for (Path agent : agents) {
            String file = agent.getFileName().toString();
            String stem = file.substring(0, file.length() - AGENT_SUFFIX.length());
            for (String other : new String[] {"_caller.wav", "_customer.wav"}) {
                Path customer = root.resolve(stem + other);
                if (Files.isRegularFile(customer)) {
                    CallAudio c = CallAudio.load(List.of(agent, customer), AgentChannel.LEFT);
                    calls.add(new CallAudio(stem, c.sampleRate(), c.agent(), c.customer()));
                    break;
                }
            }
        }
        return calls;
    }

    private static final String AGENT_SUFFIX = "_agent.wav";

    /** The calls' names: the directory of a call in its own directory, the common stem of a pair. */
    static List<String> names(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(dir)) {
                    long wavs = files.filter(f -> f.toString().endsWith(".wav")).count();
                    if (wavs == 1 || wavs == 2) {
                        names.add(dir.getFileName().toString());
                    }
                }
            }
        }
        pairs(root).forEach(c -> names.add(c.source()));
        return names;
    }

    static double audioSeconds(List<CallAudio> calls) {
        return calls.stream().mapToLong(CallAudio::durationMs).sum() / 1000.0;
    }
}
