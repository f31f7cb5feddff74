package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.asr.Word;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.asr.WordErrorRate;
import io.earshot.pipeline.corpus.CallMixer.Layout;
import io.earshot.pipeline.corpus.CallMixer.PlacedPhrase;
import io.earshot.pipeline.corpus.CallMixer.Settings;
import io.earshot.pipeline.corpus.PhraseRenderer.Phrase;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Earshot hears the corpus voices: every offered voice (and a few pitch and tempo
 * variants) speaks ten call-centre sentences and the backchannel tokens, each phrase alone
 * on the customer channel of one telephone call; the call goes through the full ingest
 * (voice activity, regions, Vosk). Writes {@code target/corpus-voices.md}: per voice the word
 * error rate on the sentences, what each token came out as, and the cold rendering time.
 */
class CorpusVoicesIT {

    static final List<String> SENTENCES = List.of(
            "i would like to check the status of my order please",
            "my internet has been down since yesterday morning",
            "can you tell me why my bill is so high this month",
            "i have been waiting on hold for almost twenty minutes",
            "let me pull up your account so i can take a look",
            "the payment should go through within two business days",
            "could you confirm the address on the account for me",
            "i was charged twice for the same delivery",
            "we can send a technician out on friday afternoon",
            "is there anything else i can help you with today");
    static final List<String> TOKENS = List.of("mhmm", "mm hmm", "uh huh", "yeah", "yeah yeah", "okay", "right",
            "i see", "got it", "yes", "sure");
    /** The backchannel tokens of the metric rules, longest first for greedy matching. */
    static final List<List<String>> RULE_TOKENS = List.of("uh huh", "mm hmm", "i see", "got it", "all right",
            "uh-huh", "mm-hmm", "mhm", "mhmm", "mmhmm", "hmm", "mm", "yeah", "yes", "yep", "right", "okay", "ok",
            "sure", "alright").stream().map(t -> List.of(t.split(" "))).toList();

    static final List<TtsVoice> SURVEYED = surveyed();
    /** Silence between phrases: more than the ingest's region margins and join gap, so each is its own region. */
    private static final int GAP_MS = 1600;
    private static final Map<TtsVoice, Survey> RESULTS = new LinkedHashMap<>();

    /** One voice's survey. */
    record Survey(List<Phrase> cold, double renderSeconds, List<Phrase> warm, int warmSynthesised,
            WordErrorRate.Count sentences, Map<String, String> heard) {

        double renderSecondsPerAudioSecond() {
            return renderSeconds / (cold.stream().mapToInt(Phrase::durationMs).sum() / 1000.0);
        }
    }

    private static List<TtsVoice> surveyed() {
        List<TtsVoice> voices = new ArrayList<>(TtsVoice.BASE_VOICES);
        voices.add(TtsVoice.FLITE_KAL16.withPitch(150));
        voices.add(TtsVoice.FLITE_KAL16.withPitch(-150).withTempo(1.1));
        voices.add(TtsVoice.FLITE_KAL.withPitch(-100).withTempo(0.95));
        voices.add(TtsVoice.FESTIVAL_KAL.withPitch(-150));
        voices.add(TtsVoice.FESTIVAL_KED.withPitch(100).withTempo(1.05));
        voices.add(TtsVoice.ESPEAK_US_F2.withPitch(-150));
        return voices;
    }

    @BeforeAll
    static void surveyEveryVoice(@TempDir Path cache) throws IOException {
        List<String> phrases = new ArrayList<>(SENTENCES);
        phrases.addAll(TOKENS);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (VoskTranscriber asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2)) {
            // the recogniser's own accuracy: spoken digits must reach the comparison unredacted
            CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, executor,
                    new io.earshot.ingest.redact.Redactor(io.earshot.ingest.redact.RedactionConfig.OFF));
            for (TtsVoice voice : SURVEYED) {
                List<Phrase> cold;
                double seconds;
                try (PhraseRenderer coldRenderer = new PhraseRenderer(cache, Duration.ofSeconds(60))) {
                    long t0 = System.nanoTime();
                    cold = coldRenderer.renderAll(voice, phrases);
                    seconds = (System.nanoTime() - t0) / 1e9;
                }
                List<Phrase> warm;
                int warmSynthesised;
                try (PhraseRenderer warmRenderer = new PhraseRenderer(cache, Duration.ofSeconds(60))) {
                    warm = warmRenderer.renderAll(voice, phrases);
                    warmSynthesised = warmRenderer.synthesisedCount();
                }

                List<PlacedPhrase> placed = new ArrayList<>();
                List<int[]> spans = new ArrayList<>();
                int at = 1000;
                for (Phrase p : cold) {
                    placed.add(new PlacedPhrase(Role.CUSTOMER, at, p.samples()));
                    spans.add(new int[] {at, at + p.durationMs()});
                    at += p.durationMs() + GAP_MS;
                }
                Settings line = new Settings(-20, -20, 30, 40, -58, SampleEncoding.PCMU, Layout.STEREO_AGENT_LEFT, 7);
                CallAnalysis analysis = analyzer.analyze(CallMixer.mix(placed, List.of(), at, line).audio(voice.id()));
                List<Word> words = analysis.transcript().stream().filter(u -> u.role() == Role.CUSTOMER)
                        .flatMap(u -> u.words().stream()).toList();
                WordErrorRate.Count count = new WordErrorRate.Count(0, 0);
                Map<String, String> heard = new LinkedHashMap<>();
                for (int i = 0; i < phrases.size(); i++) {
                    int[] span = spans.get(i);
                    String text = words.stream().filter(w -> (w.startMs() + w.endMs()) / 2 >= span[0] - 300
                            && (w.startMs() + w.endMs()) / 2 <= span[1] + 300).map(Word::word)
                            .collect(Collectors.joining(" "));
                    heard.put(phrases.get(i), text);
                    if (i < SENTENCES.size()) {
                        count = count.plus(WordErrorRate.count(phrases.get(i), text));
                    }
                }
                RESULTS.put(voice, new Survey(cold, seconds, warm, warmSynthesised, count, heard));
            }
        } finally {
            executor.shutdown();
        }
        writeReport(Path.of("target", "corpus-voices.md"));
    }

    @AfterAll
    static void forget() {
        RESULTS.clear();
    }

    @Test
    void shouldRenderEveryPhraseAudibleWithASaneDuration() {
        for (Map.Entry<TtsVoice, Survey> e : RESULTS.entrySet()) {
            for (Phrase p : e.getValue().cold()) {
                int words = p.text().split(" ").length;
                boolean sentence = SENTENCES.contains(p.text());
                assertThat(p.durationMs()).as("%s '%s'", e.getKey(), p.text())
                        .isBetween(sentence ? 180 * words : 150, sentence ? 450 * words : 1400);
                assertThat(Levels.activeLevelDb(TelephoneBand.filter(p.samples()))).as("%s '%s'", e.getKey(), p.text())
                        .isBetween(PhraseRenderer.REFERENCE_LEVEL_DBFS - 1, PhraseRenderer.REFERENCE_LEVEL_DBFS + 1);
            }
        }
        assertThat(RESULTS).hasSize(SURVEYED.size());
    }

    @Test
    void shouldServeEveryPhraseFromTheCacheTheSecondTime() {
        for (Map.Entry<TtsVoice, Survey> e : RESULTS.entrySet()) {
            Survey s = e.getValue();
            assertThat(s.warmSynthesised()).as("%s phrases synthesised again", e.getKey()).isZero();
            for (int i = 0; i < s.cold().size(); i++) {
                assertThat(Arrays.equals(s.warm().get(i).samples(), s.cold().get(i).samples()))
                        .as("%s '%s' from the cache", e.getKey(), s.cold().get(i).text()).isTrue();
            }
        }
        assertThat(RESULTS).isNotEmpty();
    }

    @Test
    void shouldBeUnderstoodByTheRecogniser() {
        WordErrorRate.Count recognisable = new WordErrorRate.Count(0, 0);
        for (Map.Entry<TtsVoice, Survey> e : RESULTS.entrySet()) {
            boolean corpusVoice = TtsVoice.RECOGNISABLE.contains(e.getKey());
            assertThat(e.getValue().sentences().rate()).as("%s sentence word error rate", e.getKey())
                    .isLessThanOrEqualTo(corpusVoice ? 0.33 : 0.60);
            if (corpusVoice) {
                recognisable = recognisable.plus(e.getValue().sentences());
            }
        }
        assertThat(RESULTS.keySet()).containsAll(TtsVoice.RECOGNISABLE);
        assertThat(recognisable.rate()).as("word error rate of the corpus voices together").isLessThanOrEqualTo(0.22);
    }

    @Test
    void shouldHearTheCorpusTokensOfTheRecognisableVoicesAsBackchannelTokens() {
        int heardAsTokens = 0;
        List<String> misheard = new ArrayList<>();
        for (TtsVoice voice : TtsVoice.RECOGNISABLE) {
            for (String token : TtsVoice.CORPUS_TOKENS) {
                String heard = RESULTS.get(voice).heard().get(token);
                if (allTokens(heard)) {
                    heardAsTokens++;
                } else {
                    misheard.add(voice + " '" + token + "' -> '" + heard + "'");
                }
            }
        }
        // flite and festival get nearly all; espeak's en-us+f2 loses one or two ("mm them", "god it")
        int all = TtsVoice.RECOGNISABLE.size() * TtsVoice.CORPUS_TOKENS.size();
        assertThat(heardAsTokens).as("tokens heard as tokens; misheard: %s", misheard)
                .isGreaterThanOrEqualTo(all * 85 / 100);
    }

    /** Whether the words are backchannel tokens only, read greedily in order (as the metric rules do). */
    static boolean allTokens(String heard) {
        List<String> words = heard.isBlank() ? List.of() : List.of(heard.split(" "));
        int i = 0;
        while (i < words.size()) {
            int at = i;
            for (List<String> token : RULE_TOKENS) {
                if (at + token.size() <= words.size() && words.subList(at, at + token.size()).equals(token)) {
                    i = at + token.size();
                    break;
                }
            }
            if (i == at) {
                return false;
            }
        }
        return !words.isEmpty();
    }

    private static void writeReport(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("| voice | sentence WER | render s per s of audio (cold) | " + String.join(" | ", TOKENS) + " |");
        lines.add("|---|---|---|" + "---|".repeat(TOKENS.size()));
        for (Map.Entry<TtsVoice, Survey> e : RESULTS.entrySet()) {
            Survey s = e.getValue();
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f%% (%d/%d) | %.3f |", e.getKey(),
                    100 * s.sentences().rate(), s.sentences().errors(), s.sentences().referenceWords(),
                    s.renderSecondsPerAudioSecond()));
            for (String token : TOKENS) {
                String heard = s.heard().get(token);
                b.append(' ').append(heard.isEmpty() ? "-" : heard).append(allTokens(heard) ? "" : " (x)").append(" |");
            }
            lines.add(b.toString());
        }
        lines.add("");
        lines.add("(x): not heard as backchannel tokens only; -: no word heard.");
        lines.add("");
        for (Map.Entry<TtsVoice, Survey> e : RESULTS.entrySet()) {
            lines.add(e.getKey() + ":");
            for (String sentence : SENTENCES) {
                lines.add("    " + sentence + " -> " + e.getValue().heard().get(sentence));
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }
}
