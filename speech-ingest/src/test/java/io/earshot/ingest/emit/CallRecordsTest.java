package io.earshot.ingest.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.dsp.ContourBlock;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.live.CallInfo;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.ToneBlock;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The recording path of the one mapping from ingest results to the contracts. */
class CallRecordsTest {

    private static final long T0 = 1_764_460_800_000L;

    private record Published(String callId, long eventTimeMs, SpecificRecord record) {
    }

    @Test
    void shouldPublishARecordingAsALiveCallWouldInEventTimeOrder() {
        SpeechSegment agent = new SpeechSegment(Role.AGENT, 0, 0, 1_500, 180.0, 3.5, -20.0, 0.8, 200,
                List.of(new ContourBlock(-20.123456789, 12.3456789), new ContourBlock(Double.NaN, Double.NaN)));
        SpeechSegment customer = new SpeechSegment(Role.CUSTOMER, 0, 1_200, 1_400, Double.NaN, Double.NaN, -35.0, 0.0);
        Utterance late = new Utterance(Role.AGENT, 1_600, 2_000, "thanks", List.of(new Word("thanks", 1_600, 2_000, 0.9)), true);
        Utterance early = new Utterance(Role.AGENT, 100, 1_450, "hello there",
                List.of(new Word("hello", 100, 600, 1.0), new Word("there", 700, 1_450, 0.75)), true);
        CallAnalysis analysis = new CallAnalysis("rec.wav", 8000, 3_000, VadConfig.DEFAULTS,
                List.of(agent, customer), List.of(late, early), "off");
        List<Published> out = new ArrayList<>();

        CallRecords.publishRecording(CallInfo.ofRecording("c1", "agent-1", "team-a", null, T0, 8000), analysis,
                (id, at, record) -> out.add(new Published(id, at, record)));

        assertThat(out).extracting(Published::callId).containsOnly("c1");
        assertThat(out).extracting(p -> p.record().getSchema().getName() + "@" + (p.eventTimeMs() - T0))
                .containsExactly("CallStarted@0", "SpeechSegmentDetected@1400", "UtteranceTranscribed@1450",
                        "SpeechSegmentDetected@1500", "UtteranceTranscribed@2000", "CallEnded@3000");
        CallStarted started = (CallStarted) out.get(0).record();
        assertThat(started.getSourceProtocol()).isEqualTo(SourceProtocol.FILE);
        assertThat(started.getRedaction()).isEqualTo("off");
        assertThat(started.getMediaStartTime()).isEqualTo(Instant.ofEpochMilli(T0));
        SpeechSegmentDetected unvoiced = (SpeechSegmentDetected) out.get(1).record();
        assertThat(unvoiced.getPitchMedianHz()).isNull();
        assertThat(unvoiced.getPitchRangeSemitones()).isNull();
        SpeechSegmentDetected voiced = (SpeechSegmentDetected) out.get(3).record();
        assertThat(voiced.getContour()).containsExactly(new ToneBlock((float) -20.123456789, (float) 12.3456789),
                new ToneBlock(null, null));
        assertThat(voiced.getMediaStartTime()).isEqualTo(Instant.ofEpochMilli(T0));
        UtteranceTranscribed first = (UtteranceTranscribed) out.get(2).record();
        UtteranceTranscribed second = (UtteranceTranscribed) out.get(4).record();
        assertThat(first.getText()).isEqualTo("hello there");
        assertThat(first.getUtteranceIndex()).as("numbered in order of start").isZero();
        assertThat(second.getUtteranceIndex()).isEqualTo(1);
        assertThat(first.getWords()).extracting(w -> w.getConf()).containsExactly(1.0, 0.75);
        CallEnded ended = (CallEnded) out.get(5).record();
        assertThat(ended.getReason()).isEqualTo(CallRecords.RECORDING_ENDED);
        assertThat(ended.getEndMs()).isEqualTo(3_000);
        assertThat(ended.getEndedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 3_000));
    }
}
