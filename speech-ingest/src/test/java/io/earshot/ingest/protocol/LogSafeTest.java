package io.earshot.ingest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void shouldEscapeLineBreaksSoACallerCannotForgeALogLine() {
        String forged = "CA1\r\n2026-01-01 INFO call CA2 started: agent boss";

        String quoted = LogSafe.quote(forged);

        assertThat(quoted).doesNotContain("\r").doesNotContain("\n")
                .isEqualTo("\"CA1\\r\\n2026-01-01 INFO call CA2 started: agent boss\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "plain-id          | \"plain-id\"",
        "tab\there         | \"tab\\there\"",
        "quote\"inside     | \"quote\\\"inside\"",
        "back\\slash       | \"back\\\\slash\"",
    })
    void shouldQuoteAndEscapeQuotesBackslashesAndTabs(String value, String expected) {
        assertThat(LogSafe.quote(value.replace("\\t", "\t"))).isEqualTo(expected);
    }

    @Test
    void shouldEscapeOtherControlAndInvisibleFormattingCharacters() {
        assertThat(LogSafe.quote("a\u0000b\u001bc\u2028d\u202ee\u0085f"))
                .isEqualTo("\"a\\u0000b\\u001bc\\u2028d\\u202ee\\u0085f\"");
    }

    @Test
    void shouldTruncateLongValuesAndSayHowMuchWasDropped() {
        String quoted = LogSafe.quote("x".repeat(LogSafe.MAX_CHARS + 50));

        assertThat(quoted).isEqualTo("\"" + "x".repeat(LogSafe.MAX_CHARS) + "\"...(50 more chars)");
    }

    @Test
    void shouldWriteNullAsTheBareWord() {
        assertThat(LogSafe.quote(null)).isEqualTo("null");
    }
}
