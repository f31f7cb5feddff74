package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.avro.AvroOutputs;
import io.earshot.analysis.events.CallEvent;
import io.earshot.pipeline.analyze.BoundedCallMetrics;
import io.earshot.pipeline.analyze.CallEvents;
import io.earshot.pipeline.simulate.SampleCalls;
import io.earshot.schemas.CallSummaryComputed;
import io.earshot.schemas.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/** Shared by the live end-to-end tests: what {@code analyze} computes, and the comparison with it. */
final class LiveCalls {

    /** Media start used for the recorded calls; summaries are compared on media-time values only. */
    private static final long MEDIA_START = 1_764_000_000_000L;

    private LiveCalls() {
    }

    static Path model() {
        return Path.of(System.getProperty("earshot.model"));
    }

    /** The final summary {@code analyze} computes for each sample call, by folder name. */
    static Map<String, CallSummaryComputed> analyzeSampleCalls(boolean transcribe) throws Exception {
        Path dir = SampleCalls.defaultDirectory();
        List<Path> folders;
        try (Stream<Path> list = Files.list(dir)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<CallEvent> events = new ArrayList<>();
        try (VoskTranscriber asr = transcribe ? VoskTranscriber.open(model(), 2) : null) {
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, pool);
            for (Path folder : folders) {
                List<Path> files = Arrays.stream(SampleCalls.spec(folder).split(",")).map(Path::of).toList();
                CallAnalysis analysis = analyzer.analyze(CallAudio.load(files, SampleCalls.agentChannel(folder)));
                events.addAll(CallEvents.of(folder.getFileName().toString(), "agent", null, null, MEDIA_START, analysis));
            }
        } finally {
            pool.shutdown();
        }
        Map<String, CallSummaryComputed> out = new LinkedHashMap<>();
        for (CallSummary s : BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2).summaries()) {
            out.put(s.callId(), AvroOutputs.toAvro(s));
        }
        return out;
    }

    /**
     * The live final summary agrees with the recorded one: the voice-activity figures within
     * 2 % (they come from the same streaming detector over the same samples; only the audio
     * block boundaries differ), the counts of interruptions and transfers exactly, the rates
     * within 0.01. Backchannels may differ by one: the rules read the words, and a 300 ms
     * "uh-huh" is heard as "uh huh", as nothing or as "the that" depending on what the pooled
     * recogniser that decoded it heard before (Vosk adapts across a recogniser's resets), so
     * the live and the recorded transcripts of the same audio can differ in such a word.
     */
    static void assertSameMetrics(CallSummaryComputed live, CallSummaryComputed recorded) {
        assertThat(live.getIsFinal()).isTrue();
        assertThat(live.getDurationMs()).as("duration").isCloseTo(recorded.getDurationMs(), within(40L));
        assertThat(live.getAgentTalkMs()).as("agent talk").isCloseTo(recorded.getAgentTalkMs(), tolerance(recorded.getAgentTalkMs()));
        assertThat(live.getCustomerTalkMs()).as("customer talk").isCloseTo(recorded.getCustomerTalkMs(),
                tolerance(recorded.getCustomerTalkMs()));
        assertThat(live.getOverlapMs()).as("overlap").isCloseTo(recorded.getOverlapMs(), tolerance(recorded.getOverlapMs()));
        assertThat(live.getSilenceMs()).as("silence").isCloseTo(recorded.getSilenceMs(), tolerance(recorded.getSilenceMs()));
        assertThat(live.getAgentInterruptions()).as("agent interruptions").isEqualTo(recorded.getAgentInterruptions());
        assertThat(count(live, Role.CUSTOMER)).as("customer interruptions").isEqualTo(count(recorded, Role.CUSTOMER));
        assertThat(live.getBackchannels().size()).as("backchannels").isCloseTo(recorded.getBackchannels().size(), within(1));
        assertThat(live.getResponseGaps().size()).as("transfers").isEqualTo(recorded.getResponseGaps().size());
        assertThat(live.getDeadAir().size()).as("dead air").isEqualTo(recorded.getDeadAir().size());
        assertThat(live.getPauseIntrusions().size()).as("pause intrusions").isEqualTo(recorded.getPauseIntrusions().size());
        if (recorded.getPauseRespectRate() == null) {
            assertThat(live.getPauseRespectRate()).isNull();
        } else {
            assertThat(live.getPauseRespectRate()).as("pause respect").isCloseTo(recorded.getPauseRespectRate(), within(0.01));
        }
        assertThat(live.getAgentTalkShare()).as("talk share").isCloseTo(recorded.getAgentTalkShare(), within(0.01));
    }

    private static org.assertj.core.data.Offset<Long> tolerance(long ms) {
        return within(Math.max(60L, ms / 50));
    }

    private static long count(CallSummaryComputed s, Role by) {
        return s.getInterruptions().stream().filter(i -> i.getBy() == by).count();
    }
}
