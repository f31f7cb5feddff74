package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The recognizer pool bounds native memory and keeps word times right across reuse. */
class RecognizerPoolTest {

    private static final Path MODEL = Path.of(System.getProperty("earshot.model"));

    /** The first agent turn of the first fixture call, with 300 ms either side. */
    private static short[] firstAgentTurn(FixtureCall call, long[] startMs) {
        FixtureCall.TruthUtterance first = call.utterances().stream().filter(u -> u.role() == Role.AGENT)
                .findFirst().orElseThrow();
        int rate = call.audio().sampleRate();
        long from = Math.max(0, first.startMs() - 300);
        startMs[0] = from;
        return Arrays.copyOfRange(call.audio().agent(), (int) (from * rate / 1000),
                (int) Math.min(call.audio().agent().length, (first.endMs() + 300) * rate / 1000));
    }

    @Test
    void shouldGiveTheSameWordTimesWhenARecognizerIsReused() throws IOException {
        FixtureCall call = FixtureCall.all().get(0);
        long[] start = new long[1];
        short[] region = firstAgentTurn(call, start);
        try (VoskTranscriber asr = VoskTranscriber.open(MODEL, 1)) {
            List<Utterance> first = asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0]);
            List<Utterance> again = asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0] + 60_000);
            assertThat(asr.pool().created()).isEqualTo(1);
            // Vosk's results on the same audio are not exactly repeatable (confidences, and now
            // and then a word, differ between runs); the times of the words that agree must not move.
            List<Word> a = first.stream().flatMap(u -> u.words().stream()).toList();
            List<Word> b = again.stream().flatMap(u -> u.words().stream()).toList();
            assertThat(a).hasSizeGreaterThan(3);
            assertThat(b).hasSameSizeAs(a);
            int agreeing = 0;
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).word().equals(b.get(i).word())) {
                    agreeing++;
                    assertThat(b.get(i).startMs()).isCloseTo(a.get(i).startMs() + 60_000, org.assertj.core.data.Offset.offset(30L));
                    assertThat(b.get(i).endMs()).isCloseTo(a.get(i).endMs() + 60_000, org.assertj.core.data.Offset.offset(30L));
                }
            }
            assertThat(agreeing).isGreaterThanOrEqualTo(a.size() * 3 / 4);
        }
    }

    @Test
    void shouldNeverCreateMoreRecognizersThanThePoolSize() throws Exception {
        FixtureCall call = FixtureCall.all().get(0);
        long[] start = new long[1];
        short[] region = firstAgentTurn(call, start);
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (VoskTranscriber asr = VoskTranscriber.open(MODEL, 2)) {
            List<Future<List<Utterance>>> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(threads.submit(() -> asr.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0])));
            }
            for (Future<List<Utterance>> job : jobs) {
                List<Utterance> result = job.get();
                assertThat(result).isNotEmpty();
                // every borrower's word times are its own region's, however much the recognizer was fed before
                assertThat(result.get(0).startMs()).isBetween(start[0], start[0] + 1000);
            }
            assertThat(asr.pool().created()).isBetween(1, 2);
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void shouldReplaceARecognizerThatHasDecodedEnoughAudio() throws IOException {
        FixtureCall call = FixtureCall.all().get(0);
        long[] start = new long[1];
        short[] region = firstAgentTurn(call, start);
        assertThat(region.length).isGreaterThan(call.audio().sampleRate()); // more than the 1 s limit below
        try (VoskTranscriber fresh = VoskTranscriber.open(MODEL, 1);
                VoskTranscriber recycling = VoskTranscriber.open(MODEL, 1, 1)) {
            List<Utterance> expected = fresh.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0]);
            recycling.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0]);
            List<Utterance> second = recycling.transcribe(Role.AGENT, region, call.audio().sampleRate(), start[0]);
            assertThat(recycling.pool().created()).isEqualTo(2);
            assertThat(recycling.pool().live()).isZero();
            // a replacement starts clean: the words and times of a recognizer's first region (to
            // Vosk's precision from one recognizer to another: an unclear word may differ)
            assertThat(second).hasSameSizeAs(expected);
            String heard = String.join(" ", second.stream().map(Utterance::text).toList());
            assertThat(WordErrorRate.count(String.join(" ", expected.stream().map(Utterance::text).toList()), heard).rate())
                    .as(heard).isLessThanOrEqualTo(0.25);
            assertThat(second.get(0).startMs()).isCloseTo(expected.get(0).startMs(), org.assertj.core.data.Offset.offset(150L));
        }
    }

    @Test
    void shouldKeepEveryWordOfEveryRegionWhenRecognizersAreReplacedBetweenThem() throws IOException {
        FixtureCall call = FixtureCall.all().get(0);
        int rate = call.audio().sampleRate();
        List<FixtureCall.TruthUtterance> turns = call.utterances().stream().filter(u -> u.role() == Role.AGENT)
                .limit(4).toList();
        assertThat(turns).hasSize(4);
        List<List<Word>> expected = new ArrayList<>();
        for (FixtureCall.TruthUtterance turn : turns) {
            // each region alone, on a recognizer that has heard nothing else
            try (VoskTranscriber fresh = VoskTranscriber.open(MODEL, 1)) {
                expected.add(words(fresh, call, turn, rate));
            }
        }
        List<List<Word>> recycled = new ArrayList<>();
        // a 1 s budget: every region outlasts it, so each region after the first is decoded by a replacement
        try (VoskTranscriber recycling = VoskTranscriber.open(MODEL, 1, 1)) {
            for (FixtureCall.TruthUtterance turn : turns) {
                recycled.add(words(recycling, call, turn, rate));
            }
            assertThat(recycling.pool().created()).isEqualTo(turns.size());
        }
        // nothing lost at a switch: each region's speech, from its first word to its last, is
        // there before and after each replacement, as when the region is decoded alone. Vosk is
        // not bit-exact from one recognizer to another (a word boundary may move by a frame, an
        // unclear word may come out as another), so edges are compared to 150 ms and the words
        // by error rate.
        WordErrorRate.Count differences = new WordErrorRate.Count(0, 0);
        for (int i = 0; i < turns.size(); i++) {
            List<Word> alone = expected.get(i);
            List<Word> switched = recycled.get(i);
            assertThat(alone).as("region %d alone", i).isNotEmpty();
            assertThat(switched).as("region %d after replacements", i).isNotEmpty();
            assertThat(switched.get(0).startMs()).isCloseTo(alone.get(0).startMs(), org.assertj.core.data.Offset.offset(150L));
            assertThat(switched.get(switched.size() - 1).endMs())
                    .isCloseTo(alone.get(alone.size() - 1).endMs(), org.assertj.core.data.Offset.offset(150L));
            differences = differences.plus(WordErrorRate.count(text(alone), text(switched)));
        }
        assertThat(differences.rate()).as("words differing from each region decoded alone").isLessThanOrEqualTo(0.15);
    }

    private static String text(List<Word> words) {
        return String.join(" ", words.stream().map(Word::word).toList());
    }

    private static List<Word> words(VoskTranscriber asr, FixtureCall call, FixtureCall.TruthUtterance turn, int rate) {
        long from = Math.max(0, turn.startMs() - 300);
        short[] region = Arrays.copyOfRange(call.audio().agent(), (int) (from * rate / 1000),
                (int) Math.min(call.audio().agent().length, (turn.endMs() + 300) * rate / 1000));
        return asr.transcribe(Role.AGENT, region, rate, from).stream().flatMap(u -> u.words().stream()).toList();
    }

    @Test
    void shouldRejectADirectoryThatIsNotAVoskModel(@org.junit.jupiter.api.io.TempDir Path empty) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VoskTranscriber.open(empty, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("not a Vosk model directory");
    }
}
