package io.earshot.ingest.call;

import io.earshot.ingest.asr.Transcriber;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.dsp.CallSpeechTracker;
import io.earshot.ingest.dsp.SpeechHandler;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.redact.Redactor;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Speech ingest for a recorded call: both channels through framing, level and pitch
 * (TarsosDSP), the two-channel voice-activity detector, then the recogniser over the planned
 * speech regions. Recorded audio is pushed through the same streaming stages a live call
 * uses, in blocks, so live and replayed results agree.
 */
public final class CallAnalyzer {

    /** Audio is pushed in blocks of this length, as a live source would deliver it. */
    private static final int PUSH_BLOCK_MS = 100;

    private final VadConfig vad;
    private final Transcriber transcriber;
    private final Executor asrExecutor;
    private final Redactor redactor;

    /**
     * A call analyzer that redacts the transcript with every rule on ({@link Redactor#defaults()}).
     *
     * @param transcriber  the recogniser, or {@code null} to skip transcription
     * @param asrExecutor  runs the recognition of regions; its parallelism bounds concurrent
     *                     recognizers together with the recogniser pool
     */
    public CallAnalyzer(VadConfig vad, Transcriber transcriber, Executor asrExecutor) {
        this(vad, transcriber, asrExecutor, Redactor.defaults());
    }

    /**
     * @param redactor applied to each party's utterances in order, as a live call applies it,
     *                 before the transcript leaves this class
     */
    public CallAnalyzer(VadConfig vad, Transcriber transcriber, Executor asrExecutor, Redactor redactor) {
        this.vad = vad;
        this.transcriber = transcriber;
        this.asrExecutor = asrExecutor;
        this.redactor = java.util.Objects.requireNonNull(redactor, "redactor");
    }

    public CallAnalysis analyze(CallAudio call) {
        List<SpeechSegment> segments = detectSpeech(call, vad);
        List<Utterance> transcript = transcriber == null ? List.of() : transcribe(call, segments);
        return new CallAnalysis(call.source(), call.sampleRate(), call.durationMs(), vad, segments, transcript,
                transcriber == null ? null : redactor.describe());
    }

    /** Voice activity and tone only: the cheap part, computed for every call. */
    public static List<SpeechSegment> detectSpeech(CallAudio call, VadConfig vad) {
        List<SpeechSegment> segments = new ArrayList<>();
        CallSpeechTracker tracker = new CallSpeechTracker(call.sampleRate(), vad, new SpeechHandler() {
            @Override
            public void onSpeechStart(Role role, long atMs) {
                // edges matter to live consumers; a recording only needs the finished spurts
            }

            @Override
            public void onSegment(SpeechSegment segment) {
                segments.add(segment);
            }
        });
        int block = call.sampleRate() * PUSH_BLOCK_MS / 1000;
        for (int at = 0; at < call.agent().length; at += block) {
            tracker.push(call.agent(), call.customer(), at, Math.min(block, call.agent().length - at));
        }
        tracker.finish();
        segments.sort(Comparator.comparingLong(SpeechSegment::startMs).thenComparing(SpeechSegment::role));
        return segments;
    }

    /**
     * One job per party: its regions in time order on one thread, so each party's speech goes
     * to the recognizer that has adapted to that voice and the result does not depend on how
     * the two parties' regions interleave.
     */
    private List<Utterance> transcribe(CallAudio call, List<SpeechSegment> segments) {
        List<CompletableFuture<List<Utterance>>> jobs = new ArrayList<>();
        for (Role role : Role.values()) {
            short[] channel = role == Role.AGENT ? call.agent() : call.customer();
            List<SpeechSegment> own = segments.stream().filter(s -> s.role() == role).toList();
            List<SpeechRegions.Region> regions = SpeechRegions.plan(own, call.durationMs());
            String speaker = call.source() + "#" + role;
            jobs.add(CompletableFuture.supplyAsync(() -> {
                List<Utterance> heard = new ArrayList<>();
                for (SpeechRegions.Region r : regions) {
                    int from = (int) (r.startMs() * call.sampleRate() / 1000);
                    int to = (int) Math.min(channel.length, r.endMs() * call.sampleRate() / 1000);
                    heard.addAll(transcriber.transcribe(speaker, role, Arrays.copyOfRange(channel, from, to),
                            call.sampleRate(), r.startMs()));
                }
                return redactor.redactInOrder(heard);
            }, asrExecutor));
        }
        List<Utterance> out = new ArrayList<>();
        for (CompletableFuture<List<Utterance>> job : jobs) {
            out.addAll(job.join());
        }
        out.sort(Comparator.comparingLong(Utterance::startMs).thenComparing(Utterance::role));
        return out;
    }
}
