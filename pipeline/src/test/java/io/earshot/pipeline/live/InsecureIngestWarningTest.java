package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.pipeline.config.EarshotConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the live runtime says at start about ingest paths open without authentication. */
class InsecureIngestWarningTest {

    @Test
    void shouldWarnAtStartWhenTwilioAuthIsNone() {
        EarshotConfig open = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {auth: none}
                """, Map.of());
        try (LogCapture log = new LogCapture()) {
            LiveIngestRuntime.warnInsecure(open);

            assertThat(log.text()).contains("WARN io.earshot.pipeline.live.LiveIngestRuntime - twilio.auth is none");
        }
    }

    @Test
    void shouldSayNothingWhenEveryPathIsAuthenticated() {
        EarshotConfig signed = EarshotConfig.parse("x.yaml", """
                kafka: {bootstrap: "b:1"}
                audiohook: {enabled: false}
                twilio: {authToken: "tok"}
                """, Map.of());
        try (LogCapture log = new LogCapture()) {
            LiveIngestRuntime.warnInsecure(signed);

            assertThat(log.text()).doesNotContain("twilio.auth");
        }
    }
}
