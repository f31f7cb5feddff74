package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalCommandTest {

    @Test
    void shouldReturnWhatTheProgramPrints() throws IOException {
        assertThat(ExternalCommand.run(List.of("sh", "-c", "echo hello"), Duration.ofSeconds(10))).isEqualTo("hello\n");
    }

    @Test
    void shouldReportAFailureWithExitCodeAndStderr() {
        assertThatThrownBy(() -> ExternalCommand.run(List.of("sh", "-c", "echo no such voice >&2; exit 3"),
                Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class).hasMessageContaining("exited with 3").hasMessageContaining("no such voice");
    }

    @Test
    void shouldStopAProgramThatOutlivesItsTimeout() {
        assertThatThrownBy(() -> ExternalCommand.run(List.of("sh", "-c", "echo started >&2; exec sleep 30"),
                Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("timed out after 300 ms")
                .hasMessageContaining("started");
    }

    @Test
    void shouldNameTheInstallScriptWhenAToolIsMissing() {
        assertThatThrownBy(() -> ExternalCommand.run(List.of("no-such-tts-engine"), Duration.ofSeconds(10)))
                .isInstanceOf(IOException.class).hasMessageContaining("install-tts.sh");
    }
}
