package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The metric math against the fixtures' ground truth, which the fixture renderer computes
 * with its own independent implementation of docs/metrics.md: fed the true spurts and words, the
 * events must come out the same.
 */
class FixtureTruthTest {

    static Stream<Path> calls() throws IOException {
        Path root = Path.of(System.getProperty("earshot.fixtures"));
        return Files.list(root).filter(d -> Files.isRegularFile(d.resolve("truth.json"))).sorted();
    }

    private static JsonNode truth(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
    }

    private static CallMetrics analyze(JsonNode t) {
        List<Spurt> spurts = new ArrayList<>();
        for (JsonNode s : t.path("segments")) {
            spurts.add(new Spurt(Role.valueOf(s.path("role").asText()), s.path("startMs").asLong(), s.path("endMs").asLong()));
        }
        List<TimedWord> words = new ArrayList<>();
        for (JsonNode u : t.path("utterances")) {
            Role role = Role.valueOf(u.path("role").asText());
            for (JsonNode w : u.path("words")) {
                words.add(new TimedWord(role, w.get(0).asText(), w.get(1).asLong(), w.get(2).asLong()));
            }
        }
        return ConversationAnalysis.analyze(t.path("durationMs").asLong(), spurts, words, MetricsConfig.DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldFindTheSameInterruptionsAsTheGroundTruth(Path call) throws IOException {
        JsonNode t = truth(call);
        List<String> expected = new ArrayList<>();
        for (JsonNode i : t.path("events").path("interruptions")) {
            expected.add(i.path("by").asText() + "@" + i.path("startMs").asLong() + " overlap " + i.path("overlapMs").asLong()
                    + (i.path("successful").asBoolean() ? " successful" : " unsuccessful"));
        }
        List<String> actual = analyze(t).interruptions().stream().map(
                (Interruption i) -> i.by() + "@" + i.startMs() + " overlap " + i.overlapMs()
                        + (i.successful() ? " successful" : " unsuccessful")).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldFindTheSameBackchannelsAsTheGroundTruth(Path call) throws IOException {
        JsonNode t = truth(call);
        List<String> expected = new ArrayList<>();
        for (JsonNode b : t.path("events").path("backchannels")) {
            expected.add(b.path("by").asText() + "@" + b.path("startMs").asLong() + "-" + b.path("endMs").asLong());
        }
        List<String> actual = analyze(t).backchannels().stream()
                .map((Backchannel b) -> b.by() + "@" + b.startMs() + "-" + b.endMs()).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldFindTheSameResponseGapsAndPauseIntrusionsAsTheGroundTruth(Path call) throws IOException {
        JsonNode t = truth(call);
        CallMetrics m = analyze(t);
        List<String> expected = new ArrayList<>();
        for (JsonNode g : t.path("events").path("responseGaps")) {
            expected.add(g.path("customerEndMs").asLong() + "->" + g.path("agentStartMs").asLong() + " gap "
                    + g.path("gapMs").asLong() + " respected " + g.path("respected").asBoolean());
        }
        assertThat(m.responseGaps().stream().map((ResponseGap g) -> g.customerEndMs() + "->" + g.agentStartMs()
                + " gap " + g.gapMs() + " respected " + g.respected()).toList()).containsExactlyElementsOf(expected);
        List<String> intrusions = new ArrayList<>();
        for (JsonNode p : t.path("events").path("pauseIntrusions")) {
            intrusions.add(p.path("customerPauseStartMs").asLong() + "/" + p.path("agentStartMs").asLong() + "/"
                    + p.path("customerResumeMs").asLong());
        }
        assertThat(m.pauseIntrusions().stream().map(p -> p.customerPauseStartMs() + "/" + p.agentStartMs() + "/"
                + p.customerResumeMs()).toList()).containsExactlyElementsOf(intrusions);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void shouldMeasureTheSameTalkOverlapAndDeadAirAsTheGroundTruth(Path call) throws IOException {
        JsonNode t = truth(call);
        CallMetrics m = analyze(t);
        assertThat(m.agentTalkMs()).isEqualTo(t.path("totals").path("agentTalkMs").asLong());
        assertThat(m.customerTalkMs()).isEqualTo(t.path("totals").path("customerTalkMs").asLong());
        assertThat(m.overlapMs()).isEqualTo(t.path("events").path("overlapMs").asLong());
        List<String> dead = new ArrayList<>();
        for (JsonNode d : t.path("events").path("deadAir")) {
            dead.add(d.path("startMs").asLong() + "-" + d.path("endMs").asLong());
        }
        assertThat(m.deadAir().stream().map(d -> d.startMs() + "-" + d.endMs()).toList()).containsExactlyElementsOf(dead);
    }
}
