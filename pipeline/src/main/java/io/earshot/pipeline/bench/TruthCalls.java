package io.earshot.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Calls with what was said in them: every sub-directory holding a {@code truth.json} as the
 * committed sample calls have it (the audio's layout and each utterance's role, start and
 * text). The benchmark scores the recogniser's word error rate on them.
 */
final class TruthCalls {

    /** A call's audio and, per role, the words spoken in time order. */
    record TruthCall(String id, CallAudio audio, Map<Role, String> spoken) {
    }

    private TruthCalls() {
    }

    static List<TruthCall> load(Path root) throws IOException {
        List<TruthCall> calls = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("truth.json"))).sorted().toList()) {
                JsonNode t = json.readTree(dir.resolve("truth.json").toFile());
                CallAudio audio = "stereo".equals(t.path("layout").asText())
                        ? CallAudio.load(List.of(dir.resolve(t.path("file").asText())),
                                AgentChannel.parse(t.path("agentChannel").asText()))
                        : CallAudio.load(List.of(dir.resolve(t.path("files").path("AGENT").asText()),
                                dir.resolve(t.path("files").path("CUSTOMER").asText())), AgentChannel.LEFT);
                Map<Role, String> spoken = new EnumMap<>(Role.class);
                for (Role role : Role.values()) {
                    List<JsonNode> own = new ArrayList<>();
                    t.path("utterances").forEach(u -> {
                        if (role.name().equals(u.path("role").asText())) {
                            own.add(u);
                        }
                    });
                    own.sort(Comparator.comparingLong(u -> u.path("startMs").asLong()));
                    spoken.put(role, String.join(" ", own.stream().map(u -> u.path("text").asText()).toList()));
                }
                calls.add(new TruthCall(dir.getFileName().toString(), audio, spoken));
            }
        }
        if (calls.isEmpty()) {
            throw new IOException(root + ": no calls with a truth.json found");
        }
        return calls;
    }
}
