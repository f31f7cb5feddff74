package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.schemas.Role;
import org.junit.jupiter.api.Test;

class VoskResultParsingTest {

    @Test
    void shouldNotPutTheWordsOfAnUnreadableResultIntoTheErrorMessage() {
        // a result cut off mid-way: its words must not reach a log line through the exception
        String broken = "{\"result\":[{\"word\":\"four\",\"start\":0.1,\"end\":0.3,\"conf\":1.0}],"
                + "\"text\":\"four one one one one one one one one one one one one one one one";

        assertThatThrownBy(() -> VoskTranscriber.parse(Role.CUSTOMER, broken, 0, 0))
                .isInstanceOf(TranscriptionException.class)
                .satisfies(e -> {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(trace));
                    org.assertj.core.api.Assertions.assertThat(e.getMessage()).contains("unreadable recogniser result");
                    org.assertj.core.api.Assertions.assertThat(trace.toString()).doesNotContain("four")
                            .doesNotContain("one one");
                });
    }
}
