package io.earshot.analysis.evaluation.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.analysis.evaluation.corpus.CallScript.Phrase;
import io.earshot.analysis.evaluation.corpus.ConversationGenerator.GeneratedCall;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.PhraseTiming;
import io.earshot.analysis.evaluation.corpus.PhraseTimings.WordTiming;
import io.earshot.analysis.evaluation.corpus.RealizedCall.Intent;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedBackchannel;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedInterruption;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedTransfer;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConversationGeneratorTest {

    private static final long SEED = 21;
    private static final long MARGIN = Realizer.EXACT_MARGIN_MS;
    private static final SyntheticTimings TIMINGS = new SyntheticTimings(SEED);

    private static List<GeneratedCall> corpus;

    @BeforeAll
    static void generate() {
        corpus = new ConversationGenerator(SEED).corpus(300, TIMINGS, MARGIN);
    }

    private static Stream<RealizedLine> lines(Predicate<RealizedLine> which) {
        return corpus.stream().flatMap(c -> c.call().lines().stream()).filter(which);
    }

    private static Stream<Intent> intents() {
        return corpus.stream().flatMap(c -> c.call().intents().stream());
    }

    /** Time both parties speak from {@code fromMs} on, phrases of {@code line} against the other party's claims. */
    private static long overlapWithOthersClaims(RealizedCall call, RealizedLine line, long fromMs) {
        List<Span> mine = line.phrases().stream().map(RealizedPhrase::span).toList();
        return Span.overlap(mine, claims(call, line.role() == Role.AGENT ? Role.CUSTOMER : Role.AGENT), fromMs);
    }

    private static List<Span> claims(RealizedCall call, Role role) {
        return call.lines().stream().filter(l -> l.role() == role && !l.kind().backchannel())
                .flatMap(l -> l.phrases().stream()).map(RealizedPhrase::span)
                .sorted(Comparator.comparingLong(Span::startMs)).toList();
    }

    /** Where the other party's speech around {@code t} ends, silences under a second bridged. */
    private static long stretchEnd(List<Span> speech, long t) {
        long end = Long.MIN_VALUE;
        for (Span s : speech) {
            if (end == Long.MIN_VALUE ? s.endMs() > t : s.startMs() - end < 1000) {
                end = Math.max(end, s.endMs());
            } else if (end != Long.MIN_VALUE) {
                break;
            }
        }
        return end;
    }

    @Test
    void shouldDrawTheSameScriptsFromTheSameSeed() {
        List<CallScript> first = IntStream.range(0, 20)
                .mapToObj(i -> new ConversationGenerator(SEED).generate(i, TIMINGS, MARGIN).script()).toList();
        List<CallScript> again = IntStream.range(0, 20)
                .mapToObj(i -> new ConversationGenerator(SEED).generate(i, new SyntheticTimings(SEED), MARGIN).script())
                .toList();
        List<CallScript> otherSeed = IntStream.range(0, 20)
                .mapToObj(i -> new ConversationGenerator(SEED + 1).generate(i, TIMINGS, MARGIN).script()).toList();

        assertThat(again).isEqualTo(first);
        assertThat(first).isEqualTo(corpus.subList(0, 20).stream().map(GeneratedCall::script).toList());
        assertThat(otherSeed).doesNotContainAnyElementsOf(first);
    }

    @Test
    void shouldKeepEveryCallWithinTheCorpusBounds() {
        for (GeneratedCall c : corpus) {
            assertThat(c.call().durationMs()).as(c.script().callId()).isBetween(30_000L, 70_000L);
            assertThat(c.call().lines()).as(c.script().callId()).hasSizeBetween(8, 25);
        }
        lines(l -> true).forEach(l -> assertThat(l.phrases()).as(l.id()).hasSizeBetween(1, 6));
        lines(l -> true).flatMap(l -> l.line().phrases().stream()).map(Phrase::text).forEach(text -> {
            assertThat(text).matches("[a-z]+( [a-z]+){0,5}");
        });
        lines(l -> l.kind().takesFloor()).flatMap(l -> l.line().kept().stream().limit(l.phrases().size() - 1))
                .forEach(p -> assertThat(p.pauseAfterMs()).isBetween(150L, 1200L));
    }

    @Test
    void shouldRealizeEachScriptAgainToTheSameCall() {
        for (GeneratedCall c : corpus) {
            assertThat(Realizer.realize(c.script(), TIMINGS, MARGIN)).isEqualTo(c.call());
        }
    }

    @Test
    void shouldKeepTheMarginsOnEveryRealizedCall() {
        for (GeneratedCall c : corpus) {
            RealizedCall call = c.call();
            for (Intent intent : call.intents()) {
                if (intent instanceof ScriptedInterruption s) {
                    RealizedLine line = call.line(s.lineId());
                    assertThat(overlapWithOthersClaims(call, line, s.startMs())).as(s.toString()).isGreaterThanOrEqualTo(750);
                    long end = stretchEnd(claims(call, s.of()), s.startMs());
                    if (s.successful()) {
                        assertThat(end - s.startMs()).as(s.toString()).isLessThanOrEqualTo(1850);
                        assertThat(line.endMs()).as(s.toString()).isGreaterThanOrEqualTo(end + MARGIN);
                    } else {
                        assertThat(end - s.startMs()).as(s.toString()).isGreaterThanOrEqualTo(2150);
                    }
                } else if (intent instanceof ScriptedTransfer t && !t.kind().interrupts() && t.toStartMs() < t.fromEndMs()) {
                    assertThat(t.fromEndMs() - t.toStartMs()).as(t.toString()).isLessThanOrEqualTo(450);
                } else if (intent instanceof ScriptedBackchannel b) {
                    assertThat(b.endMs() - b.startMs()).as(b.toString()).isLessThanOrEqualTo(1850);
                    call.lines().stream().filter(l -> l.role() == b.by() && !l.id().equals(b.lineId())).forEach(l ->
                            assertThat(new Span(l.startMs(), l.endMs()).gapTo(new Span(b.startMs(), b.endMs())))
                                    .as(b + " and " + l.id()).isGreaterThanOrEqualTo(1150));
                }
            }
            for (RealizedNoise n : call.noises()) {
                call.lines().stream().filter(l -> l.role() == n.role()).flatMap(l -> l.phrases().stream())
                        .forEach(p -> assertThat(p.span().gapTo(n.span())).as(n.noise().id()).isGreaterThanOrEqualTo(400));
            }
        }
    }

    @Test
    void shouldCoverBargeInsDuringAPauseThatOverlapTheResumedSpeechForOneToTwoSeconds() {
        List<Long> overlaps = new ArrayList<>();
        for (GeneratedCall c : corpus) {
            c.call().lines().stream().filter(l -> l.kind().inPause())
                    .forEach(l -> overlaps.add(overlapWithOthersClaims(c.call(), l, l.startMs())));
        }
        assertThat(overlaps.stream().filter(o -> o >= 1000 && o <= 2000).count()).isGreaterThanOrEqualTo(60);
        assertThat(lines(l -> l.kind() == LineKind.BARGE_IN).count()).as("barge-ins the holder yields to")
                .isGreaterThanOrEqualTo(25);
    }

    @Test
    void shouldCoverShortFirstPhrasesCarriedOnIntoATurnAfterTheOtherStopped() {
        for (LineKind kind : List.of(LineKind.FLOOR_GRAB, LineKind.FLOOR_GRAB_INTERRUPTION)) {
            long carried = corpus.stream().mapToLong(c -> c.call().intents().stream()
                    .filter(i -> i instanceof ScriptedTransfer t && t.kind() == kind).map(ScriptedTransfer.class::cast)
                    .filter(t -> {
                        RealizedLine line = c.call().line(t.toLine());
                        RealizedPhrase first = line.phrase(0);
                        return first.endMs() - first.startMs() < 1000 && line.phrases().size() > 1
                                && line.phrase(1).startMs() > t.fromEndMs()
                                && line.phrase(1).startMs() - first.endMs() < 1000;
                    }).count()).sum();
            assertThat(carried).as(kind.name()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void shouldCoverShortAnswersAndQuestionsClosingATurnAsFloorTransfers() {
        Set<String> questions = Set.copyOf(Vocabulary.QUESTIONS);

        assertThat(lines(l -> l.kind() == LineKind.SHORT_ANSWER && l.phrases().size() == 1).count())
                .isGreaterThanOrEqualTo(100);
        assertThat(lines(l -> l.kind() == LineKind.QUESTION
                && questions.contains(l.phrases().get(l.phrases().size() - 1).text())).count()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void shouldCoverBackchannelsInTheRecognisersSpellingsUpTo1800Ms() {
        List<RealizedLine> backchannels = lines(l -> l.kind().backchannel()).toList();
        Set<String> spellings = backchannels.stream().flatMap(l -> l.phrases().stream()).map(RealizedPhrase::text)
                .collect(Collectors.toSet());

        assertThat(backchannels).hasSizeGreaterThan(600);
        assertThat(spellings).contains("mhmm", "mm hmm", "uh huh", "yeah yeah", "i see", "got it");
        assertThat(backchannels.stream().filter(l -> l.endMs() - l.startMs() >= 1000).count()).isGreaterThanOrEqualTo(50);
        assertThat(backchannels).allSatisfy(l -> assertThat(l.endMs() - l.startMs()).isBetween(200L, 1850L));
        long overSpeech = corpus.stream().mapToLong(c -> c.call().intents().stream()
                .filter(i -> i instanceof ScriptedBackchannel).map(ScriptedBackchannel.class::cast)
                .filter(b -> c.call().lines().stream().filter(l -> l.role() != b.by())
                        .flatMap(l -> l.phrases().stream()).anyMatch(p -> p.span().covers(b.startMs()))).count()).sum();
        assertThat(overSpeech).as("backchannels started mid-phrase").isGreaterThanOrEqualTo(200);
    }

    @Test
    void shouldCoverWordlessNoisesOfEveryKindFromBothParties() {
        List<RealizedNoise> noises = corpus.stream().flatMap(c -> c.call().noises().stream()).toList();

        assertThat(noises).hasSizeGreaterThan(150);
        assertThat(noises).extracting(n -> n.noise().kind()).contains(CallScript.NoiseKind.values());
        assertThat(noises).extracting(RealizedNoise::role).contains(Role.AGENT, Role.CUSTOMER);
        assertThat(noises).allSatisfy(n -> assertThat(n.endMs() - n.startMs()).isBetween(150L, 700L));
    }

    @Test
    void shouldCoverInterruptionsOverlappingFromUnderASecondToOverTwoAndAHalf() {
        List<Long> overlaps = new ArrayList<>();
        for (GeneratedCall c : corpus) {
            c.call().intents().stream().filter(i -> i instanceof ScriptedInterruption).map(ScriptedInterruption.class::cast)
                    .forEach(s -> overlaps.add(overlapWithOthersClaims(c.call(), c.call().line(s.lineId()), s.startMs())));
        }
        assertThat(overlaps.stream().mapToLong(Long::longValue).min().orElseThrow()).isLessThan(1000);
        assertThat(overlaps.stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThan(2500);
        assertThat(intents().filter(i -> i instanceof ScriptedInterruption s && s.successful()).count()).isGreaterThan(150);
        assertThat(intents().filter(i -> i instanceof ScriptedInterruption s && !s.successful()).count()).isGreaterThan(150);
    }

    @Test
    void shouldSayEveryClaimWithAWordThatIsNotABackchannelToken() {
        List<String> claims = new ArrayList<>();
        Vocabulary.TOPICS.forEach(t -> {
            claims.addAll(t.agent());
            claims.addAll(t.customer());
        });
        Stream.of(Vocabulary.AGENT_GENERIC, Vocabulary.CUSTOMER_GENERIC, Vocabulary.AGENT_OPENINGS,
                Vocabulary.CUSTOMER_OPENINGS, Vocabulary.QUESTIONS, Vocabulary.SHORT_ANSWERS, Vocabulary.GRAB_INTERRUPTERS,
                Vocabulary.INTERJECTIONS).forEach(claims::addAll);

        assertThat(claims).noneMatch(p -> Tokens.onlyTokens(List.of(p.split(" "))));
        assertThat(Vocabulary.BACKCHANNELS).allMatch(p -> Tokens.onlyTokens(List.of(p.split(" "))));
    }

    @Test
    void shouldDrawValidCallsOfEveryKindAtTheMarginForRenderedSpeech() {
        ConversationGenerator generator = new ConversationGenerator(SEED);
        List<GeneratedCall> rendered = IntStream.range(0, 80)
                .mapToObj(i -> generator.generate(i, TIMINGS, Realizer.RENDERED_MARGIN_MS)).toList();

        assertThat(rendered.stream().flatMap(c -> c.call().lines().stream()).map(RealizedLine::kind))
                .contains(LineKind.values());
        for (GeneratedCall c : rendered) {
            assertThat(c.call().marginMs()).isEqualTo(Realizer.RENDERED_MARGIN_MS);
            assertThat(Realizer.realize(c.script(), TIMINGS, Realizer.RENDERED_MARGIN_MS)).isEqualTo(c.call());
        }
    }

    @Test
    void shouldRedrawACallWhoseRenderedTimingsBreakAMargin() {
        PhraseTimings rendered = new StretchedTimings(TIMINGS, 1.04);
        ConversationGenerator generator = new ConversationGenerator(SEED);
        int index = IntStream.range(0, 50).filter(i -> {
            Optional<CallScript> planned = generator.draw(i, 0, TIMINGS, MARGIN);
            if (planned.isEmpty()) {
                return false;
            }
            try {
                Realizer.realize(planned.get(), rendered, MARGIN);
                return false;
            } catch (MarginViolation expected) {
                return true;
            }
        }).findFirst().orElseThrow();

        GeneratedCall call = generator.generate(index, TIMINGS, rendered, MARGIN);

        assertThatThrownBy(() -> Realizer.realize(generator.draw(index, 0, TIMINGS, MARGIN).orElseThrow(), rendered, MARGIN))
                .isInstanceOf(MarginViolation.class);
        assertThat(call.attempt()).isPositive();
        assertThat(call.script()).isEqualTo(generator.draw(index, call.attempt(), TIMINGS, MARGIN).orElseThrow());
        assertThat(Realizer.realize(call.script(), rendered, MARGIN)).isEqualTo(call.call());
        assertThat(ConversationGenerator.fits(call.call())).isTrue();
    }

    /** Rendered speech a little slower than planned: every word and phrase {@code factor} times as long. */
    private record StretchedTimings(PhraseTimings planned, double factor) implements PhraseTimings {

        @Override
        public PhraseTiming timing(Role role, int voice, String text) {
            PhraseTiming t = planned.timing(role, voice, text);
            List<WordTiming> words = t.words().stream().map(w -> new WordTiming(w.word(), Math.round(w.startMs() * factor),
                    Math.round(w.endMs() * factor))).toList();
            return new PhraseTiming(Math.round(t.durationMs() * factor), words);
        }
    }
}
