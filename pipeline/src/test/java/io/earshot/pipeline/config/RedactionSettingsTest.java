package io.earshot.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.redact.RedactionConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactionSettingsTest {

    private static final String KAFKA = "kafka:\n  bootstrap: b:9092\naudiohook:\n  enabled: false\ntwilio:\n  enabled: false\n";

    @TempDir
    Path dir;

    @Test
    void shouldRedactEverythingWhenTheFileHasNoRedactionSection() {
        EarshotConfig c = EarshotConfig.parse("e.yaml", KAFKA, Map.of());

        assertThat(c.redaction().toConfig()).isEqualTo(RedactionConfig.DEFAULTS);
    }

    @Test
    void shouldReadEveryRedactionKey() {
        EarshotConfig c = EarshotConfig.parse("e.yaml", KAFKA + """
                redaction:
                  cards: true
                  phones: false
                  emails: true
                  nationalIds: false
                  digitRunMin: 10
                  trailingDigitsMin: 0
                  joinGapMs: 2000
                """, Map.of());

        assertThat(c.redaction().toConfig())
                .isEqualTo(new RedactionConfig(true, true, false, true, false, 10, 0, 2000));
    }

    @Test
    void shouldSwitchRedactionOffOnlyWithEnabledFalse() {
        EarshotConfig c = EarshotConfig.parse("e.yaml", KAFKA + "redaction:\n  enabled: false\n", Map.of());

        assertThat(c.redaction().toConfig().enabled()).isFalse();
        assertThat(c.redaction().toConfig().describe()).isEqualTo("off");
    }

    @Test
    void shouldRefuseAMisspeltKeyOrABadValueNamingIt() {
        assertThatThrownBy(() -> EarshotConfig.parse("e.yaml", KAFKA + "redaction:\n  card: false\n", Map.of()))
                .hasMessageContaining("e.yaml").hasMessageContaining("redaction").hasMessageContaining("card");
        assertThatThrownBy(() -> EarshotConfig.parse("e.yaml", KAFKA + "redaction:\n  digitRunMin: -3\n", Map.of()))
                .hasMessageContaining("redaction.digitRunMin");
    }

    @Test
    void shouldHonourTheRedactionSectionOfAnAnalyzeSettingsFile() throws IOException {
        Path settings = Files.writeString(dir.resolve("settings.yaml"), """
                metrics:
                  pauseRespectMinGapMs: 450
                redaction:
                  emails: false
                """);

        assertThat(MetricSettings.redaction(settings).emails()).isFalse();
        assertThat(MetricSettings.redaction(settings).cards()).isTrue();
        assertThat(MetricSettings.read(settings).has("redaction")).isFalse();
    }

    @Test
    void shouldHonourTheRedactionSectionOfAServeFileGivenToAnalyze() throws IOException {
        Path serve = Files.writeString(dir.resolve("serve.yaml"), KAFKA + "redaction:\n  enabled: false\n");

        assertThat(MetricSettings.redaction(serve).enabled()).isFalse();
    }
}
