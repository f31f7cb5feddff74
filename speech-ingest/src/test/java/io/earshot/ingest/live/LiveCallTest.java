package io.earshot.ingest.live;

import io.earshot.ingest.protocol.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.asr.Transcriber;
import io.earshot.ingest.asr.TranscriptionException;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.call.SpeechRegions;
import io.earshot.ingest.dsp.ContourBlock;
import io.earshot.ingest.dsp.SpeechSegment;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.CallStarted;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import io.earshot.schemas.SpeechActivityChanged;
import io.earshot.schemas.SpeechSegmentDetected;
import io.earshot.schemas.TranscriptionStatusReported;
import io.earshot.schemas.UtteranceTranscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live ingest of the committed fixture calls against the recording path: the same spurts, the
 * same regions for the recogniser, and the behaviour under recogniser overload and failure.
 */
class LiveCallTest {

    static final long MEDIA_START = 1_764_460_800_000L;
    private static final Map<String, List<SpeechSegment>> BATCH = new HashMap<>();

    /** The fixture calls, each pushed in 20 ms, 100 ms and 160 ms chunks. */
    static Stream<Arguments> fixturesAndChunks() {
        return FixtureCall.all().stream()
                .flatMap(f -> Stream.of(20, 100, 160).map(chunk -> Arguments.of(f, chunk)));
    }

    static synchronized List<SpeechSegment> batchSegments(FixtureCall f) {
        return BATCH.computeIfAbsent(f.id(), id -> CallAnalyzer.detectSpeech(f.audio(), VadConfig.DEFAULTS));
    }

    static CallInfo info(String callId, int sampleRate) {
        return new CallInfo(callId, "agent-7", "team-a", null, SourceProtocol.AUDIOHOOK,
                List.of(new ChannelRole(0, "external", Role.CUSTOMER), new ChannelRole(1, "internal", Role.AGENT)),
                MEDIA_START, sampleRate);
    }

    /** Pushes the whole call in chunks of {@code chunkMs}, with the stream position of each. */
    static void pushAll(LiveCall call, CallAudio audio, int chunkMs) {
        int chunk = audio.sampleRate() * chunkMs / 1000;
        for (int at = 0; at < audio.agent().length; at += chunk) {
            int to = Math.min(audio.agent().length, at + chunk);
            call.push(Arrays.copyOfRange(audio.agent(), at, to), Arrays.copyOfRange(audio.customer(), at, to), at);
        }
    }

    /** A published segment as the recording path's record, NaN where the event has null. */
    static SpeechSegment segment(SpeechSegmentDetected e) {
        return new SpeechSegment(e.getRole(), e.getSegmentIndex(), e.getStartMs(), e.getEndMs(),
                e.getPitchMedianHz() == null ? Double.NaN : e.getPitchMedianHz(),
                e.getPitchRangeSemitones() == null ? Double.NaN : e.getPitchRangeSemitones(),
                e.getLoudnessDbfs(), e.getVoicedRatio(), e.getContourBlockMs(),
                e.getContour().stream().map(b -> new ContourBlock(
                        b.getLoudnessDbfs() == null ? Double.NaN : b.getLoudnessDbfs(),
                        b.getPitchSemitones() == null ? Double.NaN : b.getPitchSemitones())).toList(),
                e.getKnownAtMs());
    }

    static List<SpeechSegment> sorted(List<SpeechSegment> segments) {
        return segments.stream()
                .sorted(Comparator.comparingLong(SpeechSegment::startMs).thenComparing(SpeechSegment::role)).toList();
    }

    /** Every region the recording path sends to the recogniser, per role in time order. */
    static List<Heard> batchRegions(FixtureCall f) {
        CallAudio audio = f.audio();
        List<Heard> out = new ArrayList<>();
        for (Role role : Role.values()) {
            short[] channel = role == Role.AGENT ? audio.agent() : audio.customer();
            List<SpeechSegment> own = batchSegments(f).stream().filter(s -> s.role() == role).toList();
            for (SpeechRegions.Region r : SpeechRegions.plan(own, audio.durationMs())) {
                int from = (int) (r.startMs() * audio.sampleRate() / 1000);
                int to = (int) Math.min(channel.length, r.endMs() * audio.sampleRate() / 1000);
                out.add(new Heard(null, role, r.startMs(), Arrays.copyOfRange(channel, from, to)));
            }
        }
        return out;
    }

    /** One region as a recogniser received it. */
    record Heard(Object speaker, Role role, long startMs, short[] samples) {
        long lengthMs(int rate) {
            return samples.length * 1000L / rate;
        }
    }

    /** Answers every region with one word spanning it, and remembers what it heard. */
    static final class RecordingTranscriber implements Transcriber {
        final List<Heard> heard = new ArrayList<>();

        @Override
        public synchronized List<Utterance> transcribe(Object speaker, Role role, short[] samples, int sampleRate,
                long startMs) {
            heard.add(new Heard(speaker, role, startMs, samples));
            long endMs = startMs + samples.length * 1000L / sampleRate;
            String text = "r" + startMs;
            return List.of(new Utterance(role, startMs, endMs, text, List.of(new Word(text, startMs, endMs, 1.0)),
                    true));
        }

        synchronized List<Heard> heard(Role role) {
            return heard.stream().filter(h -> h.role() == role).toList();
        }

        @Override
        public void close() {
        }
    }

    private static void assertCallStartedFirstAndEndedLast(CollectingSink sink, String callId, long durationMs) {
        List<CollectingSink.Published> events = sink.events(callId);
        assertThat(events.get(0).event()).isInstanceOf(CallStarted.class);
        assertThat(events.get(0).eventTimeMs()).isEqualTo(MEDIA_START);
        CollectingSink.Published last = events.get(events.size() - 1);
        assertThat(last.event()).isInstanceOf(CallEnded.class);
        assertThat(((CallEnded) last.event()).getEndMs()).isEqualTo(durationMs);
        assertThat(last.eventTimeMs()).isEqualTo(MEDIA_START + durationMs);
        CollectingSink.Published beforeLast = events.get(events.size() - 2);
        assertThat(beforeLast.event()).isInstanceOf(TranscriptionStatusReported.class);
        TranscriptionStatusReported fin = (TranscriptionStatusReported) beforeLast.event();
        assertThat(fin.getIsFinal()).isTrue();
        assertThat(fin.getPendingRegions()).isZero();
        assertThat(fin.getLagMs()).isZero();
        assertThat(fin.getAtMs()).isEqualTo(durationMs);
        assertThat(events.stream().filter(e -> e.event() instanceof CallStarted)).hasSize(1);
        assertThat(events.stream().filter(e -> e.event() instanceof CallEnded)).hasSize(1);
        assertThat(sink.records(callId, TranscriptionStatusReported.class).stream()
                .filter(TranscriptionStatusReported::getIsFinal)).hasSize(1);
        assertThat(sink.publishedAfterEnd()).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1} ms chunks")
    @MethodSource("fixturesAndChunks")
    void shouldPublishExactlyTheRecordingPathsSegmentsWhateverTheChunkSize(FixtureCall f, int chunkMs)
            throws Exception {
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        LiveCall call = new LiveCall(info(f.id(), f.audio().sampleRate()), VadConfig.DEFAULTS, null, sink, clock);
        call.start();
        pushAll(call, f.audio(), chunkMs);
        call.finish("closed").get(10, TimeUnit.SECONDS);

        List<SpeechSegmentDetected> published = sink.records(f.id(), SpeechSegmentDetected.class);
        assertThat(sorted(published.stream().map(LiveCallTest::segment).toList())).isEqualTo(batchSegments(f));
        assertThat(batchSegments(f)).isNotEmpty();
        for (CollectingSink.Published e : sink.events(f.id())) {
            if (e.event() instanceof SpeechSegmentDetected s) {
                // stamped where the detector closed it: after the silence that ends a spurt and
                // at most the full look-ahead later, or at the end of the audio
                assertThat(e.eventTimeMs()).isEqualTo(MEDIA_START + s.getKnownAtMs());
                if (s.getKnownAtMs() != f.audio().durationMs()) {
                    assertThat(s.getKnownAtMs() - s.getEndMs()).as("decision delay of %s", s)
                            .isBetween((long) VadConfig.DEFAULTS.bridgeGapMs(), (long) VadConfig.DEFAULTS.bridgeGapMs()
                                    + 2L * VadConfig.DEFAULTS.voicedReachMs() + VadConfig.DEFAULTS.frameMs());
                }
                assertThat(s.getPitchMedianHz() == null).isEqualTo(s.getPitchMedianSemitones() == null);
            }
        }
        // an edge up at each spurt's start, down at its end, in order per role
        for (Role role : Role.values()) {
            List<Long> edges = new ArrayList<>();
            for (SpeechSegment s : batchSegments(f)) {
                if (s.role() == role) {
                    edges.add(s.startMs());
                    edges.add(s.endMs());
                }
            }
            List<SpeechActivityChanged> changes = sink.records(f.id(), SpeechActivityChanged.class).stream()
                    .filter(c -> c.getRole() == role && !c.getProvisional()).toList();
            assertThat(changes.stream().map(SpeechActivityChanged::getAtMs).toList()).isEqualTo(edges);
            for (int i = 0; i < changes.size(); i++) {
                assertThat(changes.get(i).getSpeaking()).isEqualTo(i % 2 == 0);
            }
            // and the provisional edges, published ahead of them: alternating, in order
            List<SpeechActivityChanged> provisional = sink.records(f.id(), SpeechActivityChanged.class).stream()
                    .filter(c -> c.getRole() == role && c.getProvisional()).toList();
            assertThat(provisional).isNotEmpty();
            for (int i = 0; i < provisional.size(); i++) {
                assertThat(provisional.get(i).getSpeaking()).isEqualTo(i % 2 == 0);
                if (i > 0) {
                    assertThat(provisional.get(i).getAtMs()).isGreaterThan(provisional.get(i - 1).getAtMs());
                }
            }
        }
        assertThat(sink.records(f.id(), UtteranceTranscribed.class)).isEmpty();
        TranscriptionStatusReported fin = sink.records(f.id(), TranscriptionStatusReported.class).get(0);
        assertThat(List.of(fin.getTranscribedRegions(), fin.getSkippedRegions())).containsExactly(0, 0);
        assertCallStartedFirstAndEndedLast(sink, f.id(), f.audio().durationMs());
        assertThat(call.positionMs()).isEqualTo(f.audio().durationMs());
    }

    @ParameterizedTest(name = "{0} in {1} ms chunks")
    @MethodSource("fixturesAndChunks")
    void shouldSendTheRecognizerExactlyTheRecordingPathsRegions(FixtureCall f, int chunkMs) throws Exception {
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        RecordingTranscriber transcriber = new RecordingTranscriber();
        List<Heard> expected = batchRegions(f);
        try (LiveTranscription asr = new LiveTranscription(transcriber, new LiveTranscription.Config(2,
                Duration.ofSeconds(20)), clock)) {
            LiveCall call = new LiveCall(info(f.id(), f.audio().sampleRate()), VadConfig.DEFAULTS, asr, sink, clock);
            call.start();
            pushAll(call, f.audio(), chunkMs);
            call.finish("closed").get(10, TimeUnit.SECONDS);

            for (Role role : Role.values()) {
                List<Heard> want = expected.stream().filter(h -> h.role() == role).toList();
                List<Heard> got = transcriber.heard(role);
                assertThat(got.stream().map(Heard::startMs).toList()).as(role + " region starts")
                        .isEqualTo(want.stream().map(Heard::startMs).toList());
                for (int i = 0; i < want.size(); i++) {
                    assertThat(got.get(i).samples()).as(role + " region " + i).isEqualTo(want.get(i).samples());
                    assertThat(got.get(i).speaker()).isEqualTo(f.id() + "#" + role);
                }
            }
            assertThat(expected).hasSizeGreaterThan(2);

            // one utterance per region, numbered per role in time order, stamped at its end
            List<UtteranceTranscribed> utterances = sink.records(f.id(), UtteranceTranscribed.class);
            assertThat(utterances).hasSize(expected.size());
            for (Role role : Role.values()) {
                List<UtteranceTranscribed> own = utterances.stream().filter(u -> u.getRole() == role).toList();
                for (int i = 0; i < own.size(); i++) {
                    assertThat(own.get(i).getUtteranceIndex()).isEqualTo(i);
                    assertThat(own.get(i).getIsFinal()).isTrue();
                }
            }
            for (CollectingSink.Published e : sink.events(f.id())) {
                if (e.event() instanceof UtteranceTranscribed u) {
                    assertThat(e.eventTimeMs()).isEqualTo(MEDIA_START + u.getEndMs());
                }
            }
            TranscriptionStatusReported fin = sink.records(f.id(), TranscriptionStatusReported.class).stream()
                    .filter(TranscriptionStatusReported::getIsFinal).findFirst().orElseThrow();
            assertThat(fin.getTranscribedRegions()).isEqualTo(expected.size());
            assertThat(fin.getSkippedRegions()).isZero();
            assertCallStartedFirstAndEndedLast(sink, f.id(), f.audio().durationMs());
            assertThat(asr.stats()).isEqualTo(new LiveTranscription.Stats(0, 0, expected.size(), 0, 0));
        }
    }

    /** Blocks in its first region until released; counts the regions it is given. */
    static final class GatedTranscriber implements Transcriber {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Heard> heard = new ArrayList<>();

        @Override
        public List<Utterance> transcribe(Object speaker, Role role, short[] samples, int sampleRate, long startMs) {
            synchronized (this) {
                heard.add(new Heard(speaker, role, startMs, samples));
            }
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TranscriptionException("interrupted", e);
            }
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldSkipRegionsThatWaitedLongerThanMaxLag() throws Exception {
        FixtureCall f = FixtureCall.load("call01-billing");
        List<Heard> regions = batchRegions(f);
        int rate = f.audio().sampleRate();
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        GatedTranscriber transcriber = new GatedTranscriber();
        try (LiveTranscription asr = new LiveTranscription(transcriber,
                new LiveTranscription.Config(1, Duration.ofSeconds(20)), clock)) {
            try {
                LiveCall call = new LiveCall(info("overloaded", rate), VadConfig.DEFAULTS, asr, sink, clock);
                call.start();
                pushAll(call, f.audio(), 100);
                assertThat(transcriber.started.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<Void> ended = call.finish("closed");
                assertThat(asr.stats().pendingRegions()).isEqualTo(regions.size());
                assertThat(asr.stats().activeCalls()).isEqualTo(1);
                assertThat(ended).isNotDone();

                clock.advanceMillis(25_000); // the recogniser spent 25 s on its first region
                assertThat(asr.stats().maxLagMs()).isEqualTo(25_000);
                transcriber.release.countDown();
                ended.get(10, TimeUnit.SECONDS);

                assertThat(transcriber.heard).hasSize(1);
                Heard first = transcriber.heard.get(0);
                long skippedMs = regions.stream().mapToLong(h -> h.lengthMs(rate)).sum() - first.lengthMs(rate);
                assertThat(asr.stats()).isEqualTo(new LiveTranscription.Stats(0, 0, 1, regions.size() - 1, 0));

                List<TranscriptionStatusReported> statuses = sink.records("overloaded", TranscriptionStatusReported.class);
                TranscriptionStatusReported fin = statuses.get(statuses.size() - 1);
                assertThat(fin.getIsFinal()).isTrue();
                assertThat(fin.getTranscribedRegions()).isEqualTo(1);
                assertThat(fin.getSkippedRegions()).isEqualTo(regions.size() - 1);
                assertThat(fin.getSkippedSpeechMs()).isCloseTo(skippedMs, org.assertj.core.data.Offset.offset(
                        (long) regions.size()));
                // every skip is reported at once, with the lag that caused it
                List<Integer> skipCounts = statuses.stream().filter(s -> !s.getIsFinal())
                        .map(TranscriptionStatusReported::getSkippedRegions).distinct().toList();
                assertThat(skipCounts).containsSubsequence(
                        java.util.stream.IntStream.rangeClosed(1, regions.size() - 1).boxed().toList());
                assertThat(statuses).anyMatch(s -> s.getSkippedRegions() == 1 && s.getLagMs() >= 25_000);

                // speech activity does not depend on recognition
                assertThat(sorted(sink.records("overloaded", SpeechSegmentDetected.class).stream()
                        .map(LiveCallTest::segment).toList())).isEqualTo(batchSegments(f));
                assertThat(sink.records("overloaded", UtteranceTranscribed.class)).isEmpty();
                assertCallStartedFirstAndEndedLast(sink, "overloaded", f.audio().durationMs());
            } finally {
                transcriber.release.countDown(); // never leave the worker blocked: close() joins it
            }
        }
    }

    @Test
    void shouldCountRegionsTheRecognizerFailsOnAsSkippedAndStillEndTheCall() throws Exception {
        FixtureCall f = FixtureCall.load("call04-car-service");
        List<Heard> regions = batchRegions(f);
        AtomicInteger calls = new AtomicInteger();
        Transcriber failing = new Transcriber() {
            @Override
            public List<Utterance> transcribe(Object speaker, Role role, short[] samples, int rate, long startMs) {
                calls.incrementAndGet();
                throw new TranscriptionException("native recogniser failed");
            }

            @Override
            public void close() {
            }
        };
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        try (LiveTranscription asr = new LiveTranscription(failing, LiveTranscription.Config.defaults(), clock)) {
            LiveCall call = new LiveCall(info("failing", 8000), VadConfig.DEFAULTS, asr, sink, clock);
            call.start();
            pushAll(call, f.audio(), 20);
            call.finish("disconnect").get(10, TimeUnit.SECONDS);

            assertThat(calls.get()).isEqualTo(regions.size());
            TranscriptionStatusReported fin = sink.records("failing", TranscriptionStatusReported.class).stream()
                    .filter(TranscriptionStatusReported::getIsFinal).findFirst().orElseThrow();
            assertThat(fin.getSkippedRegions()).isEqualTo(regions.size());
            assertThat(fin.getTranscribedRegions()).isZero();
            assertThat(sink.records("failing", UtteranceTranscribed.class)).isEmpty();
            assertThat(sink.records("failing", CallEnded.class).get(0).getReason()).isEqualTo("disconnect");
            assertThat(sink.records("failing", SpeechSegmentDetected.class)).hasSize(batchSegments(f).size());
            assertCallStartedFirstAndEndedLast(sink, "failing", f.audio().durationMs());
            assertThat(asr.stats().skippedRegions()).isEqualTo(regions.size());
        }
    }

    @Test
    void shouldFillAJumpForwardInThePositionWithSilence() throws Exception {
        FixtureCall f = FixtureCall.load("call01-billing");
        CallAudio audio = f.audio();
        int rate = audio.sampleRate();
        int gapFrom = 5 * rate;
        int gapTo = 7 * rate + 80; // not a whole frame
        short[] agent = audio.agent().clone();
        short[] customer = audio.customer().clone();
        Arrays.fill(agent, gapFrom, gapTo, (short) 0);
        Arrays.fill(customer, gapFrom, gapTo, (short) 0);
        List<SpeechSegment> expected = CallAnalyzer.detectSpeech(new CallAudio("gap", rate, agent, customer),
                VadConfig.DEFAULTS);
        assertThat(expected).isNotEqualTo(batchSegments(f)); // the gap removes speech

        CollectingSink sink = new CollectingSink();
        LiveCall call = new LiveCall(info("gap", rate), VadConfig.DEFAULTS, null, sink, MutableClock.atMillis(MEDIA_START));
        call.start();
        int chunk = rate / 10;
        for (int at = 0; at < agent.length; at += chunk) {
            int to = Math.min(agent.length, at + chunk);
            if (to <= gapFrom || at >= gapTo) {
                call.push(Arrays.copyOfRange(agent, at, to), Arrays.copyOfRange(customer, at, to), at);
            } else if (at < gapFrom) {
                call.push(Arrays.copyOfRange(agent, at, gapFrom), Arrays.copyOfRange(customer, at, gapFrom), at);
            } else if (to > gapTo) {
                call.push(Arrays.copyOfRange(agent, gapTo, to), Arrays.copyOfRange(customer, gapTo, to), gapTo);
            }
        }
        call.finish("closed").get(10, TimeUnit.SECONDS);

        assertThat(sorted(sink.records("gap", SpeechSegmentDetected.class).stream().map(LiveCallTest::segment)
                .toList())).isEqualTo(expected);
        assertThat(call.positionMs()).isEqualTo(audio.durationMs());
        assertCallStartedFirstAndEndedLast(sink, "gap", audio.durationMs());
    }

    @Test
    void shouldRejectAPositionGoingBackwardsAndKeepTheCallUsable() throws Exception {
        CollectingSink sink = new CollectingSink();
        LiveCall call = new LiveCall(info("back", 8000), VadConfig.DEFAULTS, null, sink, MutableClock.atMillis(MEDIA_START));
        call.start();
        call.push(new short[1600], new short[1600], 0);
        assertThatThrownBy(() -> call.push(new short[160], new short[160], 800))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call back: audio position 800 goes back before the 1600 samples already received");
        assertThatThrownBy(() -> call.push(new short[160], new short[80], 1600))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("call back: channel lengths differ (agent 160, customer 80 samples)");
        assertThat(call.positionMs()).isEqualTo(200);
        call.push(new short[160], new short[160], 1600);
        assertThat(call.positionMs()).isEqualTo(220);
        call.finish("closed").get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> call.push(new short[160], new short[160], 1760))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("after finish()");
        assertCallStartedFirstAndEndedLast(sink, "back", 220);
    }

    @Test
    void shouldRejectCallInfoWithoutIdsOrWithARateThatDoesNotFrame() {
        assertThatThrownBy(() -> new CallInfo(" ", "a", null, null, SourceProtocol.TWILIO,
                List.of(new ChannelRole(0, "inbound", Role.CUSTOMER)), 0, 8000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallInfo("c", "a", null, null, SourceProtocol.TWILIO,
                List.of(new ChannelRole(0, "inbound", Role.CUSTOMER)), 0, 8001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8001");
        assertThatThrownBy(() -> new CallInfo("c", "a", null, null, SourceProtocol.TWILIO, List.of(), 0, 8000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallInfo("c", null, null, null, SourceProtocol.TWILIO,
                List.of(new ChannelRole(0, "inbound", Role.CUSTOMER)), 0, 8000))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldPublishNothingAfterCallEndedWhenCallsRunConcurrently() throws Exception {
        List<FixtureCall> fixtures = FixtureCall.all();
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        RecordingTranscriber transcriber = new RecordingTranscriber();
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        try (LiveTranscription asr = new LiveTranscription(transcriber, new LiveTranscription.Config(2,
                Duration.ofSeconds(20)), clock)) {
            List<Thread> sockets = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (FixtureCall f : fixtures) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                ended.add(done);
                Thread t = new Thread(() -> {
                    try {
                        LiveCall call = new LiveCall(info(f.id(), 8000), VadConfig.DEFAULTS, asr, sink, clock);
                        call.start();
                        pushAll(call, f.audio(), 20);
                        call.finish("closed").whenComplete((v, e) -> done.complete(null));
                    } catch (RuntimeException | Error e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                        done.complete(null);
                    }
                });
                sockets.add(t);
                t.start();
            }
            for (Thread t : sockets) {
                t.join();
            }
            CompletableFuture.allOf(ended.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            assertThat(failures).isEmpty();
        }
        // workers stopped: anything late would be in the sink by now
        int regions = 0;
        for (FixtureCall f : fixtures) {
            int n = batchRegions(f).size();
            regions += n;
            assertThat(sink.records(f.id(), UtteranceTranscribed.class)).hasSize(n);
            assertCallStartedFirstAndEndedLast(sink, f.id(), f.audio().durationMs());
        }
        assertThat(transcriber.heard).hasSize(regions);
        assertThat(sink.publishedAfterEnd()).isEmpty();
    }

    @Test
    void shouldKeepOnlySecondsOfAudioOnALongCall() throws Exception {
        FixtureCall f = FixtureCall.load("call02-delivery");
        int repeats = 6;
        int n = f.audio().agent().length;
        short[] agent = new short[n * repeats];
        short[] customer = new short[n * repeats];
        for (int i = 0; i < repeats; i++) {
            System.arraycopy(f.audio().agent(), 0, agent, i * n, n);
            System.arraycopy(f.audio().customer(), 0, customer, i * n, n);
        }
        CallAudio longCall = new CallAudio("long", 8000, agent, customer);
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        RecordingTranscriber transcriber = new RecordingTranscriber();
        try (LiveTranscription asr = new LiveTranscription(transcriber, LiveTranscription.Config.defaults(), clock)) {
            LiveCall call = new LiveCall(info("long", 8000), VadConfig.DEFAULTS, asr, sink, clock);
            call.start();
            int chunk = 800;
            int maxRetained = 0;
            for (int at = 0; at < agent.length; at += chunk) {
                int to = Math.min(agent.length, at + chunk);
                call.push(Arrays.copyOfRange(agent, at, to), Arrays.copyOfRange(customer, at, to), at);
                maxRetained = Math.max(maxRetained, call.retainedSamples());
            }
            call.finish("closed").get(10, TimeUnit.SECONDS);
            // both channels together: the longest region plus margins, join gap and decision delay
            long boundMs = 2 * (SpeechRegions.DEFAULT_MAX_REGION_MS + SpeechRegions.DEFAULT_MARGIN_AFTER_MS
                    + SpeechRegions.DEFAULT_JOIN_GAP_MS + SpeechRegions.DEFAULT_MARGIN_BEFORE_MS
                    + LiveCall.decisionDelayMs(VadConfig.DEFAULTS) + 1000);
            assertThat(maxRetained).isLessThanOrEqualTo((int) (boundMs * 8));
            assertThat(2L * agent.length).isGreaterThan(3L * boundMs * 8);
            // and what was kept was enough: the recogniser got the recording path's regions
            List<SpeechSegment> segments = CallAnalyzer.detectSpeech(longCall, VadConfig.DEFAULTS);
            for (Role role : Role.values()) {
                List<Long> starts = SpeechRegions.plan(segments.stream().filter(s -> s.role() == role).toList(),
                        longCall.durationMs()).stream().map(SpeechRegions.Region::startMs).toList();
                assertThat(transcriber.heard(role).stream().map(Heard::startMs).toList()).isEqualTo(starts);
            }
        }
    }

    @Test
    void shouldFillALongGapWithoutHoldingItsSilence() throws Exception {
        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(MEDIA_START);
        try (LiveTranscription asr = new LiveTranscription(new RecordingTranscriber(),
                LiveTranscription.Config.defaults(), clock)) {
            LiveCall call = new LiveCall(info("gap", 8000), VadConfig.DEFAULTS, asr, sink, clock);
            call.start();
            call.push(new short[160], new short[160], 0);
            long gapSamples = 10 * 60 * 8000L;
            call.push(new short[160], new short[160], 160 + gapSamples);
            assertThat(call.positionMs()).isEqualTo((320 + gapSamples) / 8);
            // the buffers never grew to the gap: seconds of audio, not ten minutes
            assertThat(call.historyCapacity()).isLessThan(2 * 30 * 8000);
            call.finish("closed").get(10, TimeUnit.SECONDS);
            assertCallStartedFirstAndEndedLast(sink, "gap", (320 + gapSamples) / 8);
        }
    }
}
