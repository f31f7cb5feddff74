package io.earshot.pipeline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The test reader of the exposition format reads what the format allows and nothing else. */
class PrometheusTextTest {

    @Test
    void shouldReadFamiliesTypesLabelsEscapesAndSpecialValues() {
        var families = PrometheusText.parse("""
                # HELP calls_total Calls started
                # TYPE calls_total counter
                calls_total{protocol="audiohook"} 3.0
                calls_total{protocol="twilio",note="a \\"quoted\\" \\\\ back\\nslash"} 1 1700000000000
                # TYPE lag_seconds gauge
                lag_seconds NaN
                # TYPE pause_seconds summary
                pause_seconds_count 2
                pause_seconds_sum +Inf
                """);
        assertThat(families.keySet()).containsExactly("calls_total", "lag_seconds", "pause_seconds");
        assertThat(families.get("calls_total").type()).isEqualTo("counter");
        assertThat(families.get("calls_total").help()).isEqualTo("Calls started");
        assertThat(PrometheusText.value(families, "calls_total", Map.of("protocol", "audiohook"))).isEqualTo(3.0);
        assertThat(families.get("calls_total").samples().get(1).labels().get("note"))
                .isEqualTo("a \"quoted\" \\ back\nslash");
        assertThat(PrometheusText.value(families, "lag_seconds", Map.of())).isNaN();
        assertThat(families.get("pause_seconds").samples()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "undeclared 1",
        "# TYPE x counter\nx{a=\"1\"}",
        "# TYPE x counter\nx{a=1} 1",
        "# TYPE x counter\nx{1a=\"1\"} 1",
        "# TYPE x counter\nx{a=\"\\t\"} 1",
        "# TYPE x counter\nx one",
        "# TYPE x kind\nx 1",
        "# TYPE x gauge\n# TYPE x gauge\nx 1",
        "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1",
    })
    void shouldRefuseMalformedExpositions(String text) {
        assertThatThrownBy(() -> PrometheusText.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
