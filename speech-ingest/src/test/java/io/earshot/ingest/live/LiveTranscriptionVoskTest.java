package io.earshot.ingest.live;

import io.earshot.ingest.protocol.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.ingest.asr.WordErrorRate;
import io.earshot.schemas.Role;
import io.earshot.schemas.UtteranceTranscribed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The live transcript of a fixture call with the real recogniser matches the recording path's:
 * the same utterances, texts within a small word error rate.
 * Each path gets its own transcriber with two recognizers, so in both each party's regions go,
 * in time order, to a recognizer that hears only that party: the same audio in the same order
 * per recognizer.
 */
class LiveTranscriptionVoskTest {

    /**
     * Live and recording transcripts are not bit-identical, and cannot be: two runs of the
     * recording path itself, each with a freshly loaded model, differ in a word now and then
     * and in word times by a frame or two (measured on call01-billing: "that" for "but", a
     * word end at 450 vs 480 ms, confidences in the second decimal). So the texts are compared
     * by word error rate and the utterance bounds within a few frames.
     */
    private static final double MAX_WORD_ERROR_RATE = 0.10;
    private static final long WORD_TIME_TOLERANCE_MS = 300;

    @Test
    void shouldTranscribeALiveCallAsTheRecordingPathDoes() throws Exception {
        Path model = Path.of(System.getProperty("earshot.model"));
        FixtureCall f = FixtureCall.load("call01-billing");

        List<Utterance> batch;
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (VoskTranscriber vosk = VoskTranscriber.open(model, 2)) {
            batch = new CallAnalyzer(VadConfig.DEFAULTS, vosk, executor).analyze(f.audio()).transcript();
        } finally {
            executor.shutdown();
        }

        CollectingSink sink = new CollectingSink();
        MutableClock clock = MutableClock.atMillis(LiveCallTest.MEDIA_START);
        try (VoskTranscriber vosk = VoskTranscriber.open(model, 2);
                LiveTranscription asr = new LiveTranscription(vosk,
                        new LiveTranscription.Config(1, Duration.ofSeconds(20)), clock)) {
            LiveCall call = new LiveCall(LiveCallTest.info(f.id(), f.audio().sampleRate()), VadConfig.DEFAULTS, asr,
                    sink, clock);
            call.start();
            LiveCallTest.pushAll(call, f.audio(), 20);
            call.finish("closed").get(60, TimeUnit.SECONDS);
        }
        List<Utterance> live = sink.records(f.id(), UtteranceTranscribed.class).stream()
                .map(u -> new Utterance(u.getRole(), u.getStartMs(), u.getEndMs(), u.getText(),
                        u.getWords().stream().map(w -> new Word(w.getWord(), w.getStartMs(), w.getEndMs(), w.getConf()))
                                .toList(), u.getIsFinal()))
                .sorted(Comparator.comparingLong(Utterance::startMs).thenComparing(Utterance::role))
                .toList();

        assertThat(batch.stream().mapToInt(u -> u.words().size()).sum()).as("words heard").isGreaterThan(20);
        for (Role role : Role.values()) {
            List<Utterance> want = batch.stream().filter(u -> u.role() == role).toList();
            List<Utterance> got = live.stream().filter(u -> u.role() == role).toList();
            assertThat(got).as(role + " utterances").hasSameSizeAs(want);
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i).startMs()).as(role + " utterance " + i + " start")
                        .isCloseTo(want.get(i).startMs(), Offset.offset(WORD_TIME_TOLERANCE_MS));
                assertThat(got.get(i).endMs()).as(role + " utterance " + i + " end")
                        .isCloseTo(want.get(i).endMs(), Offset.offset(WORD_TIME_TOLERANCE_MS));
            }
            String wantText = want.stream().map(Utterance::text).collect(Collectors.joining(" "));
            String gotText = got.stream().map(Utterance::text).collect(Collectors.joining(" "));
            WordErrorRate.Count c = WordErrorRate.count(wantText, gotText);
            assertThat(c.referenceWords()).isGreaterThan(10);
            assertThat(c.rate()).as(role + ": live \"%s\" vs recording \"%s\"", gotText, wantText)
                    .isLessThanOrEqualTo(MAX_WORD_ERROR_RATE);
        }
        assertThat(sink.publishedAfterEnd()).isEmpty();
    }
}
