package io.earshot.analysis.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TruthEventsJsonTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheDocumentedFormat() throws IOException {
        String json = """
                {"interruptions":[{"by":"AGENT","of":"CUSTOMER","startMs":5260,"successful":true}],
                 "backchannels":[{"by":"agent","startMs":3760,"endMs":4200,"text":"mm-hmm"}],
                 "responseGaps":[{"customerEndMs":6440,"agentStartMs":5260,"gapMs":-1180}]}
                """;

        TruthEvents events = TruthEventsJson.parse(json, "call.json");

        assertThat(events.interruptions()).containsExactly(new TruthInterruption(Role.AGENT, Role.CUSTOMER, 5260, true));
        assertThat(events.backchannels()).containsExactly(new TruthBackchannel(Role.AGENT, 3760, 4200));
        assertThat(events.responseGaps()).containsExactly(new TruthResponseGap(6440, 5260));
        assertThat(events.responseGaps().get(0).gapMs()).isEqualTo(-1180);
    }

    @Test
    void shouldTellAListLeftOutFromAnEmptyList() throws IOException {
        TruthEvents events = TruthEventsJson.parse("{\"interruptions\": []}", "call.json");

        assertThat(events.labelsInterruptions()).isTrue();
        assertThat(events.interruptions()).isEmpty();
        assertThat(events.labelsBackchannels()).isFalse();
        assertThat(events.labelsResponseGaps()).isFalse();
        assertThat(TruthEventsJson.parse("{}", "call.json").labelsInterruptions()).isFalse();
    }

    @Test
    void shouldReadWhatItWrites() throws IOException {
        TruthEvents all = new TruthEvents(
                List.of(new TruthInterruption(Role.AGENT, Role.CUSTOMER, 5280, true),
                        new TruthInterruption(Role.CUSTOMER, Role.AGENT, 12660, false)),
                List.of(new TruthBackchannel(Role.AGENT, 3760, 4200), new TruthBackchannel(Role.CUSTOMER, 18060, 18520)),
                List.of(new TruthResponseGap(6440, 5280)));
        TruthEvents some = new TruthEvents(null, List.of(), List.of(new TruthResponseGap(100, 900)));
        Path file = dir.resolve("events.json");

        TruthEventsJson.write(file, all);

        assertThat(TruthEventsJson.read(file)).isEqualTo(all);
        assertThat(TruthEventsJson.parse(TruthEventsJson.write(some), "some.json")).isEqualTo(some);
        assertThat(TruthEventsJson.parse(TruthEventsJson.write(TruthEvents.NONE), "none.json")).isEqualTo(TruthEvents.NONE);
        assertThat(TruthEventsJson.write(all).lines()).contains(
                "    {\"by\":\"AGENT\",\"of\":\"CUSTOMER\",\"startMs\":5280,\"successful\":true},");
    }

    @Test
    void shouldReadTheListsOfAParsedObjectIgnoringOtherKeys() throws IOException {
        String fixtureEvents = """
                {"interruptions": [{"by": "AGENT", "of": "CUSTOMER", "startMs": 5280, "overlapMs": 1160, "successful": true}],
                 "backchannels": [], "responseGaps": [], "pauseIntrusions": [], "deadAir": [], "overlapMs": 4420}
                """;

        TruthEvents events = TruthEventsJson.of(new ObjectMapper().readTree(fixtureEvents), "truth.json");

        assertThat(events.interruptions()).hasSize(1);
        assertThat(events.labelsBackchannels()).isTrue();
        assertThatThrownBy(() -> TruthEventsJson.of(new ObjectMapper().readTree(
                "{\"backchannels\": [{\"by\": \"AGENT\", \"startMs\": 10}]}"), "truth.json"))
                .hasMessage("truth.json: backchannels[0]: \"endMs\" must be a whole number of milliseconds, at least 0 (missing)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an object         | [1, 2]                                                                   | 1 | must be one JSON object",
        "empty file            | ''                                                                       | 1 | must be one JSON object",
        "misspelt list         | {\\n  \"interuptions\": []\\n}                                           | 2 | unknown key \"interuptions\"",
        "list twice            | {\"backchannels\": [],\\n \"backchannels\": []}                          | 2 | appears twice",
        "not a list            | {\"responseGaps\": {}}                                                   | 1 | must be a list",
        "item not an object    | {\"responseGaps\": [\\n 5]}                                              | 2 | responseGaps[0]: each item must be a JSON object",
        "unknown role          | {\"interruptions\": [\\n{\"by\":\"AGENT\",\"of\":\"CUSTOMER\",\"startMs\":1,\"successful\":true},\\n{\"by\":\"BOSS\",\"of\":\"AGENT\",\"startMs\":1,\"successful\":true}]} | 3 | interruptions[1]: \"by\" must be \"AGENT\" or \"CUSTOMER\", found \"BOSS\"",
        "same party twice      | {\"interruptions\": [{\"by\":\"AGENT\",\"of\":\"agent\",\"startMs\":1,\"successful\":true}]} | 1 | both AGENT",
        "no outcome            | {\"interruptions\": [{\"by\":\"AGENT\",\"of\":\"CUSTOMER\",\"startMs\":1}]} | 1 | \"successful\" must be true or false (missing)",
        "outcome as text       | {\"interruptions\": [{\"by\":\"AGENT\",\"of\":\"CUSTOMER\",\"startMs\":1,\"successful\":\"yes\"}]} | 1 | found \"yes\"",
        "fractional time       | {\"backchannels\": [{\"by\":\"AGENT\",\"startMs\":12.5,\"endMs\":20}]}   | 1 | \"startMs\" must be a whole number",
        "time as text          | {\"backchannels\": [{\"by\":\"AGENT\",\"startMs\":\"12\",\"endMs\":20}]} | 1 | found \"12\"",
        "negative time         | {\"responseGaps\": [{\"customerEndMs\":-5,\"agentStartMs\":20}]}         | 1 | at least 0",
        "ends before it starts | {\"backchannels\": [{\"by\":\"AGENT\",\"startMs\":30,\"endMs\":20}]}     | 1 | \"endMs\" 20 is before \"startMs\" 30",
        "missing comma         | {\"backchannels\": [\\n{\"by\":\"AGENT\" \"startMs\":1,\"endMs\":2}]}   | 2 | malformed JSON",
        "cut off               | {\"backchannels\": [\\n                                                  | 2 | end",
        "two objects           | {}\\n{}                                                                  | 2 | text after the end",
    })
    void shouldNameTheFileAndLineOfMalformedInput(String name, String json, int line, String problem) {
        assertThatThrownBy(() -> TruthEventsJson.parse(json.replace("\\n", "\n"), "calls/c.json"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("calls/c.json:" + line + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void shouldNameAMissingFile() {
        Path missing = dir.resolve("none.json");

        assertThatThrownBy(() -> TruthEventsJson.read(missing)).isInstanceOf(IOException.class)
                .hasMessage(missing + ": no such file");
    }
}
