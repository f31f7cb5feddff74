package io.earshot.ingest.protocol.audiohook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.protocol.audiohook.Messages.ClientError;
import io.earshot.ingest.protocol.audiohook.Messages.Open;
import io.earshot.ingest.protocol.audiohook.Messages.Resumed;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioHookCodecTest {

    private final AudioHookCodec codec = new AudioHookCodec();

    @ParameterizedTest
    @CsvSource({
        "PT0S,       0",
        "PT12.34S,   12340",
        "PT0.1S,     100",
        "PT1M2.5S,   62500",
        "PT1H,       3600000",
    })
    void shouldParseIsoDurationPositions(String text, long millis) {
        assertThat(AudioHookCodec.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({
        "0,       PT0S",
        "12340,   PT12.34S",
        "62500,   PT62.5S",
        "100,     PT0.1S",
        "3600000, PT3600S",
    })
    void shouldFormatDurationsAsSecondsOnly(long millis, String text) {
        assertThat(AudioHookCodec.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @Test
    void shouldRejectNegativeAndGarbageDurations() {
        assertThatThrownBy(() -> AudioHookCodec.parseDuration("-PT1S")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> AudioHookCodec.parseDuration("12.3")).isInstanceOf(DateTimeParseException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "800,   8000, 100",
        "8000,  8000, 1000",
        "1,     8000, 0.125",
    })
    void shouldConvertBetweenSampleCountsAndDurations(long samples, int rate, double millis) {
        Duration d = AudioHookCodec.samplesToDuration(samples, rate);
        assertThat(d.toNanos()).isEqualTo(Math.round(millis * 1_000_000));
        assertThat(AudioHookCodec.durationToSamples(d, rate)).isEqualTo(samples);
    }

    @Test
    void shouldDecodeOpenWithAllOfferedMediaAndCustomConfig() throws Exception {
        Open open = (Open) codec.decodeClient("""
            {"version":"2","type":"open","seq":1,"serverseq":0,"id":"e160e428-53e2-487c-977d-96989bf5c99d",
             "position":"PT0S","parameters":{"organizationId":"d7934305-0972-4844-938e-9060eef73d05",
             "conversationId":"090eaa2f-72fa-480a-83e0-8667ff89c0ec",
             "participant":{"id":"883efee8-3d6c-4537-b500-6d7ca4b92fa0","ani":"+1-555-555-1234","aniName":"John Doe","dnis":"+1-800-555-6789"},
             "media":[{"type":"audio","format":"PCMU","channels":["external","internal"],"rate":8000},
                      {"type":"audio","format":"PCMU","channels":["external"],"rate":8000}],
             "language":"en-US","customConfig":{"tenant":"acme"}}}
            """);
        assertThat(open.conversationId()).isEqualTo("090eaa2f-72fa-480a-83e0-8667ff89c0ec");
        assertThat(open.participant().ani()).isEqualTo("+1-555-555-1234");
        assertThat(open.media()).hasSize(2);
        assertThat(open.media().get(0).channels()).containsExactly("external", "internal");
        assertThat(open.language()).isEqualTo("en-US");
        assertThat(open.customConfig().get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void shouldDecodeResumedAndErrorParameters() throws Exception {
        Resumed resumed = (Resumed) codec.decodeClient("""
            {"version":"2","type":"resumed","seq":4,"serverseq":1,"id":"e160e428-53e2-487c-977d-96989bf5c99d",
             "position":"PT15.5S","parameters":{"start":"PT12.34S","discarded":"PT3.16S"}}
            """);
        assertThat(resumed.start()).isEqualTo(Duration.ofMillis(12340));
        assertThat(resumed.discarded()).isEqualTo(Duration.ofMillis(3160));
        ClientError error = (ClientError) codec.decodeClient("""
            {"version":"2","type":"error","seq":5,"serverseq":1,"id":"e160e428-53e2-487c-977d-96989bf5c99d",
             "position":"PT15.5S","parameters":{"code":429,"message":"Too many requests","retryAfter":"PT2S"}}
            """);
        assertThat(error.code()).isEqualTo(429);
        assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldFailToDecodeUnknownTypeWrongVersionAndMissingSeq() {
        String id = "e160e428-53e2-487c-977d-96989bf5c99d";
        assertThatThrownBy(() -> codec.decodeClient("{\"version\":\"2\",\"type\":\"dance\",\"seq\":1,\"serverseq\":0,\"id\":\""
                + id + "\",\"position\":\"PT0S\",\"parameters\":{}}"))
                .isInstanceOf(AudioHookDecodeException.class).hasMessageContaining("'dance' is not a supported client message");
        assertThatThrownBy(() -> codec.decodeClient("{\"version\":\"1\",\"type\":\"ping\",\"seq\":1,\"serverseq\":0,\"id\":\""
                + id + "\",\"position\":\"PT0S\",\"parameters\":{}}"))
                .isInstanceOf(AudioHookDecodeException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> codec.decodeClient("{\"version\":\"2\",\"type\":\"ping\",\"serverseq\":0,\"id\":\""
                + id + "\",\"position\":\"PT0S\",\"parameters\":{}}"))
                .isInstanceOf(AudioHookDecodeException.class).hasMessageContaining("'seq'");
    }
}
