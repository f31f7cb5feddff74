package io.earshot.analysis.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.listening.ScoreConfig;
import io.earshot.analysis.metrics.MetricsConfig;
import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void noSettingsKeepTheDefaults() {
        assertThat(JobSettings.apply(JobConfig.DEFAULTS, "{}")).isEqualTo(JobConfig.DEFAULTS);
    }

    @Test
    void namedThresholdsReplaceTheirDefaultOnly() {
        JobConfig c = JobSettings.apply(JobConfig.DEFAULTS,
                "{\"metrics\": {\"pauseRespectMinGapMs\": 500, \"talkShareHigh\": 0.6},"
                        + " \"listening\": {\"coachingNotes\": 3, \"score\": {\"interruptionsZeroPer10Min\": 5},"
                        + " \"tone\": {\"raisedVoiceDb\": 8}}}");

        assertThat(c.metrics().pauseRespectMinGapMs()).isEqualTo(500);
        assertThat(c.metrics().talkShareHigh()).isEqualTo(0.6);
        assertThat(c.metrics().interruptionMinOverlapMs()).isEqualTo(MetricsConfig.DEFAULTS.interruptionMinOverlapMs());
        assertThat(c.metrics().backchannelTokens()).isEqualTo(MetricsConfig.DEFAULTS.backchannelTokens());
        assertThat(c.listening().coachingNotes()).isEqualTo(3);
        assertThat(c.listening().tone().raisedVoiceDb()).isEqualTo(8.0);
        assertThat(c.listening().tone().raisedVoiceMinMs())
                .isEqualTo(io.earshot.analysis.listening.ToneConfig.DEFAULTS.raisedVoiceMinMs());
        assertThat(c.listening().score().interruptionsZeroPer10Min()).isEqualTo(5.0);
        assertThat(c.listening().score().weights()).isEqualTo(ScoreConfig.DEFAULTS.weights());
        assertThat(c.runningIntervalMs()).isEqualTo(JobConfig.DEFAULTS.runningIntervalMs());
    }

    @Test
    void aNamedWeightReplacesThatComponentsWeightOnly() {
        JobConfig c = JobSettings.apply(JobConfig.DEFAULTS,
                "{\"listening\": {\"score\": {\"weights\": {\"empathy\": 0, \"interruptions\": 30}}}}");

        assertThat(c.listening().score().weights())
                .containsEntry("empathy", 0.0)
                .containsEntry("interruptions", 30.0)
                .containsEntry("talk_share", ScoreConfig.DEFAULTS.weights().get("talk_share"));
    }

    @Test
    void misspeltOrInvalidSettingsAreErrorsNamingThem() {
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{\"metrics\": {\"pauseRespectMinGap\": 1}}"))
                .hasMessageContaining("metrics.pauseRespectMinGap").hasMessageContaining("pauseRespectMinGapMs");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{\"listenig\": {}}"))
                .hasMessageContaining("listenig");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{\"listening\": {\"tone\": {\"loud\": 3}}}"))
                .hasMessageContaining("listening.tone.loud");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS,
                "{\"listening\": {\"score\": {\"weights\": {\"empathyy\": 1}}}}"))
                .hasMessageContaining("empathyy");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS,
                "{\"listening\": {\"score\": {\"talkShareFalloff\": -1}}}"))
                .hasMessageContaining("talkShareFalloff");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS,
                "{\"metrics\": {\"deadAirMinMs\": \"long\"}}"))
                .hasMessageContaining("metrics");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{\"metrics\": [1]}"))
                .hasMessageContaining("metrics must be a map");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{not json"))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> JobSettings.apply(JobConfig.DEFAULTS, "{\"listening\": {\"language\": \"xx\"}}"))
                .hasMessageContaining("xx");
    }
}
