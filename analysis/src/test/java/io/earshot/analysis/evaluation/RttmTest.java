package io.earshot.analysis.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RttmTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadSpeakerLinesWithTheDefaultNamesInAnyCase() throws IOException {
        String rttm = """
                ;; labelled by hand
                SPKR-INFO call01 1 <NA> <NA> <NA> unknown agent <NA> <NA>
                SPEAKER call01 1 0.200 1.860 <NA> <NA> Agent <NA> <NA>
                SPEAKER call01 1 2.28 4.16 <NA> <NA> CUSTOMER <NA> <NA>

                SPEAKER call01 2 3.7600 0.4400 <NA> <NA> agent <NA>
                """;

        List<TruthSegment> segments = Rttm.parse(rttm, "call01.rttm", Map.of());

        assertThat(segments).containsExactly(new TruthSegment(Role.AGENT, 200, 2060),
                new TruthSegment(Role.CUSTOMER, 2280, 6440), new TruthSegment(Role.AGENT, 3760, 4200));
    }

    @Test
    void shouldMapOnlyTheGivenSpeakerNamesWhenAMappingIsGiven() throws IOException {
        String rttm = "SPEAKER x 1 0.5 1.0 <NA> <NA> spk0 <NA> <NA>\nSPEAKER x 1 1.0 2.0 <NA> <NA> SPK1 <NA> <NA>\n";
        Map<String, Role> speakers = Map.of("spk0", Role.AGENT, "spk1", Role.CUSTOMER);

        assertThat(Rttm.parse(rttm, "x.rttm", speakers)).containsExactly(new TruthSegment(Role.AGENT, 500, 1500),
                new TruthSegment(Role.CUSTOMER, 1000, 3000));
        assertThatThrownBy(() -> Rttm.parse("SPEAKER x 1 0 1 <NA> <NA> agent <NA> <NA>\n", "x.rttm", speakers))
                .hasMessage("x.rttm:1: speaker \"agent\" is neither agent nor customer (known names: spk0, spk1)");
    }

    @Test
    void shouldReadWhatItWritesToTheMillisecond() throws IOException {
        List<TruthSegment> segments = List.of(new TruthSegment(Role.AGENT, 200, 2060),
                new TruthSegment(Role.CUSTOMER, 2281, 6447), new TruthSegment(Role.AGENT, 0, 0),
                new TruthSegment(Role.CUSTOMER, 3_599_999, 3_600_001));
        Path file = dir.resolve("call.rttm");

        Rttm.write(file, "call01-billing", segments);

        assertThat(Files.readAllLines(file).get(0)).isEqualTo("SPEAKER call01-billing 1 0.200 1.860 <NA> <NA> agent <NA> <NA>");
        assertThat(Rttm.read(file)).isEqualTo(segments);
    }

    @Test
    void shouldReadAFileThatStartsWithAByteOrderMark() throws IOException {
        assertThat(Rttm.parse("\uFEFFSPEAKER c 1 0 1 <NA> <NA> agent <NA> <NA>\r\n", "bom.rttm", Map.of()))
                .containsExactly(new TruthSegment(Role.AGENT, 0, 1000));
        assertThat(TruthEventsJson.parse("\uFEFF{\"interruptions\": []}", "bom.json").interruptions()).isEmpty();
    }

    @Test
    void shouldReadAFileWithoutSpeakerLinesAsACallWithoutSpeech() throws IOException {
        assertThat(Rttm.parse("", "empty.rttm", Map.of())).isEmpty();
        assertThat(Rttm.parse(";; nobody spoke\n", "quiet.rttm", Map.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "onset not a number   | SPEAKER c 1 0.2 1.0 <NA> <NA> agent <NA> <NA>\\nSPEAKER c 1 abc 1.0 <NA> <NA> agent <NA> <NA> | 2 | onset \"abc\" is not a number",
        "negative duration    | SPEAKER c 1 0.2 -1.0 <NA> <NA> agent <NA> <NA>                                          | 1 | duration -1.0 s",
        "onset NaN            | SPEAKER c 1 NaN 1.0 <NA> <NA> agent <NA> <NA>                                           | 1 | finite",
        "too few fields       | ;; header\\nSPEAKER c 1 0.2 1.0 <NA> <NA>                                               | 2 | at least 8 fields",
        "unknown speaker      | SPEAKER c 1 0.2 1.0 <NA> <NA> supervisor <NA> <NA>                                      | 1 | speaker \"supervisor\"",
        "two recordings       | SPEAKER c 1 0.2 1.0 <NA> <NA> agent <NA> <NA>\\nSPEAKER d 1 2 1 <NA> <NA> agent <NA> <NA> | 2 | one RTTM file per call",
        "unknown line type    | SPEAKER c 1 0.2 1.0 <NA> <NA> agent <NA> <NA>\\n\\nSPEKER c 1 2 1 <NA> <NA> agent <NA> <NA> | 3 | unknown RTTM line type \"SPEKER\"",
        "a CSV instead        | role,start,end\\nagent,0.2,1.0                                                          | 1 | unknown RTTM line type",
    })
    void shouldNameTheFileAndLineOfMalformedInput(String name, String text, int line, String problem) {
        assertThatThrownBy(() -> Rttm.parse(text.replace("\\n", "\n"), "calls/c.rttm", Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("calls/c.rttm:" + line + ": ")
                .hasMessageContaining(problem);
    }

    @Test
    void shouldNameAMissingFileOrADirectory() {
        Path missing = dir.resolve("never-labelled.rttm");

        assertThatThrownBy(() -> Rttm.read(missing)).isInstanceOf(IOException.class).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> Rttm.read(dir)).isInstanceOf(IOException.class).hasMessageStartingWith(dir + ": is a directory");
    }

    @Test
    void shouldRefuseAFileIdWithBlanksWhenWriting() {
        assertThatThrownBy(() -> Rttm.write("call 01", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
