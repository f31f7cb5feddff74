package io.earshot.ingest.protocol.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.protocol.twilio.Messages.Connected;
import io.earshot.ingest.protocol.twilio.Messages.Dtmf;
import io.earshot.ingest.protocol.twilio.Messages.Mark;
import io.earshot.ingest.protocol.twilio.Messages.Media;
import io.earshot.ingest.protocol.twilio.Messages.MediaFormat;
import io.earshot.ingest.protocol.twilio.Messages.Start;
import io.earshot.ingest.protocol.twilio.Messages.Stop;
import io.earshot.ingest.protocol.twilio.Messages.Track;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TwilioCodecTest {

    private static final String SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private final TwilioCodec codec = new TwilioCodec();

    @Test
    void shouldDecodeStartShapedAsInTwilioReference() throws Exception {
        String json = """
                {"event":"start","sequenceNumber":"1",
                 "start":{"accountSid":"AC123","streamSid":"%s","callSid":"CA456",
                          "tracks":["inbound","outbound"],"customParameters":{"FirstName":"Jane","RemoteParty":"Bob"},
                          "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},
                 "streamSid":"%s"}""".formatted(SID, SID);

        assertThat(codec.decode(json)).isEqualTo(new Start(1, SID, "AC123", "CA456",
                List.of(Track.INBOUND, Track.OUTBOUND), Map.of("FirstName", "Jane", "RemoteParty", "Bob"),
                MediaFormat.MULAW_8K_MONO));
    }

    @Test
    void shouldDecodeMediaWithStringNumbers() throws Exception {
        String json = """
                {"event":"media","sequenceNumber":"3",
                 "media":{"track":"outbound","chunk":"1","timestamp":"5","payload":"//8="},
                 "streamSid":"%s"}""".formatted(SID);

        assertThat(codec.decode(json)).isEqualTo(new Media(3, SID, Track.OUTBOUND, 1, 5, "//8="));
    }

    static Stream<Messages> everyMessage() {
        return Stream.of(new Connected("Call", "1.0.0"),
                new Start(1, SID, "AC1", "CA1", List.of(Track.INBOUND), Map.of("k", "v"), MediaFormat.MULAW_8K_MONO),
                new Media(2, SID, Track.INBOUND, 7, 140, "AAEC"),
                new Mark(3, SID, "greeting-done"),
                new Dtmf(4, SID, "inbound_track", "#"),
                new Stop(5, SID, "AC1", "CA1"));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void shouldDecodeWhatItEncodes(Messages message) throws Exception {
        assertThat(codec.decode(codec.encode(message))).isEqualTo(message);
    }

    @Test
    void shouldEncodeSequenceNumbersAsStringsLikeTwilio() {
        assertThat(codec.encode(new Mark(4, SID, "m")))
                .contains("\"sequenceNumber\":\"4\"").contains("\"mark\":{\"name\":\"m\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"clear\",\"streamSid\":\"MZ1\"}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\"}",
        "{\"event\":\"media\",\"sequenceNumber\":\"x2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"0\",\"payload\":\"\"}}",
        "{\"event\":\"media\",\"sequenceNumber\":\"2\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"sideways\",\"chunk\":\"1\",\"timestamp\":\"0\",\"payload\":\"\"}}",
        "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"accountSid\":\"A\",\"streamSid\":\"MZ2\",\"callSid\":\"C\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}",
        "[1,2]",
        "{not json"
    })
    void shouldRejectUnknownOrMalformedMessages(String json) {
        assertThatThrownBy(() -> codec.decode(json)).isInstanceOf(TwilioDecodeException.class);
    }
}
