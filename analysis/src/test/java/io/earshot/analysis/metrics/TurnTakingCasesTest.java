package io.earshot.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One call per class of turn-taking mistake that earlier rules made on calls unlike the
 * committed recordings (files under {@code src/test/resources/turn-taking/}): exact talk spurts
 * with the words said in each (spread evenly over the spurt; an empty text is speech in which
 * the recogniser found no word), and every interruption, backchannel and response gap the
 * rules of docs/metrics.md give. Each call failed under the earlier rules.
 */
class TurnTakingCasesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "1-barge-in-during-a-pause",
            "2-first-phrase-carried-into-a-turn",
            "3-short-turns-and-questions",
            "4-backchannel-tokens-as-recognised",
            "5-speech-without-words"})
    void shouldFindExactlyTheEventsTheRulesGive(String name) throws IOException {
        JsonNode call;
        try (InputStream in = getClass().getResourceAsStream("/turn-taking/" + name + ".json")) {
            call = new ObjectMapper().readTree(in);
        }
        List<Spurt> spurts = new ArrayList<>();
        List<TimedWord> words = new ArrayList<>();
        for (JsonNode s : call.path("speech")) {
            Role role = Role.valueOf(s.get(0).asText());
            long start = s.get(1).asLong();
            long end = s.get(2).asLong();
            spurts.add(new Spurt(role, start, end));
            String text = s.get(3).asText();
            if (!text.isEmpty()) {
                String[] ws = text.split(" ");
                long each = (end - start) / ws.length;
                for (int k = 0; k < ws.length; k++) {
                    long from = start + k * each;
                    words.add(new TimedWord(role, ws[k], from, k == ws.length - 1 ? end : from + each));
                }
            }
        }

        CallMetrics m = ConversationAnalysis.analyze(call.path("durationMs").asLong(), spurts, words, MetricsConfig.DEFAULTS);

        JsonNode expected = call.path("expected");
        String description = call.path("description").asText();
        assertThat(m.interruptions().stream().map(i -> i.by() + ">" + i.of() + "@" + i.startMs() + " overlap "
                + i.overlapMs() + (i.successful() ? " successful" : " unsuccessful")).toList())
                .as(description).containsExactlyElementsOf(strings(expected.path("interruptions")));
        assertThat(m.backchannels().stream().map(b -> b.by() + "@" + b.startMs() + "-" + b.endMs() + " " + b.text()).toList())
                .as(description).containsExactlyElementsOf(strings(expected.path("backchannels")));
        assertThat(m.responseGaps().stream().map(g -> g.customerEndMs() + ">" + g.agentStartMs() + " " + g.gapMs()).toList())
                .as(description).containsExactlyElementsOf(strings(expected.path("responseGaps")));
        long talk = spurts.stream().mapToLong(Spurt::durationMs).sum();
        assertThat(m.agentTalkMs() + m.customerTalkMs()).as("word-less speech still counts as talk").isEqualTo(talk);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
