package io.earshot.pipeline.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.AgentChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed sample calls ({@code fixtures/calls/<name>/}) as recordings to stream: a
 * folder's {@code agent.wav} and {@code customer.wav}, or its stereo {@code call.wav} with the
 * agent on the channel its {@code truth.json} names. Each recording is named after its folder.
 */
public final class SampleCalls {

    private SampleCalls() {
    }

    /** Where the sample calls are: {@code -Dearshot.fixtures}, else {@code fixtures/calls} here. */
    public static Path defaultDirectory() {
        String prop = System.getProperty("earshot.fixtures");
        return Path.of(prop != null && !prop.isBlank() ? prop : "fixtures/calls");
    }

    /** Every sample call under {@code dir}, in folder-name order. */
    public static List<SimulatedCall.Recording> load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no sample calls here (set -Dearshot.fixtures or run from the project folder)");
        }
        List<Path> folders;
        try (Stream<Path> list = Files.list(dir)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        List<SimulatedCall.Recording> out = new ArrayList<>();
        for (Path folder : folders) {
            out.add(load(folder, folder.getFileName().toString()));
        }
        if (out.isEmpty()) {
            throw new IOException(dir + ": no sample call folders");
        }
        return out;
    }

    /** The spec {@link SimulatedCall.Recording#load} takes for one sample call folder. */
    public static String spec(Path folder) {
        Path agent = folder.resolve("agent.wav");
        if (Files.exists(agent)) {
            return agent + "," + folder.resolve("customer.wav");
        }
        return folder.resolve("call.wav").toString();
    }

    /** Which channel of the folder's stereo {@code call.wav} is the agent (left unless truth.json says). */
    public static AgentChannel agentChannel(Path folder) throws IOException {
        Path truth = folder.resolve("truth.json");
        if (Files.exists(truth)) {
            JsonNode node = new ObjectMapper().readTree(truth.toFile()).get("agentChannel");
            if (node != null && "right".equals(node.asText())) {
                return AgentChannel.RIGHT;
            }
        }
        return AgentChannel.LEFT;
    }

    private static SimulatedCall.Recording load(Path folder, String name) throws IOException {
        SimulatedCall.Recording r = SimulatedCall.Recording.load(spec(folder), agentChannel(folder));
        return new SimulatedCall.Recording(name, r.agent(), r.customer());
    }
}
