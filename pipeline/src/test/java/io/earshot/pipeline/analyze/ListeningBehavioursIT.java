package io.earshot.pipeline.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.VoskTranscriber;
import io.earshot.ingest.call.CallAnalysis;
import io.earshot.ingest.call.CallAnalyzer;
import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.listening.Behaviour;
import io.earshot.analysis.listening.BehaviourDetector;
import io.earshot.analysis.listening.BehaviourKind;
import io.earshot.analysis.listening.PhraseBook;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The listening behaviours of the committed fixture calls as the real recogniser hears them:
 * each call transcribed by Vosk through speech ingest, the built-in English phrase book run over
 * the transcript, and the detections scored against the behaviours the call scripts tag on their
 * lines ({@code # behaviours: ID KIND...} comment lines, which the renderer ignores).
 *
 * <p>A detection is true when the tagged line of the same role has its kind and the detection's
 * matched words overlap the line's audible span (widened by {@link #TOLERANCE_MS} for the
 * recogniser's word timings). Each tagged kind is found at most once.
 */
class ListeningBehavioursIT {

    /** The recogniser's word times are within about 100 ms of the synthesiser's. */
    private static final long TOLERANCE_MS = 250;

    private static final Pattern TAG = Pattern.compile("^#\\s*behaviours:\\s*(\\S+)\\s+(.+)$");

    /** A scripted line with the behaviours it holds, at its rendered time. */
    record Tag(String callId, String lineId, Role role, long startMs, long endMs, Set<BehaviourKind> kinds) {
    }

    private static VoskTranscriber asr;
    private static ExecutorService executor;
    private static final Map<String, List<UtteranceItem>> TRANSCRIPTS = new LinkedHashMap<>();
    private static final Map<String, FixtureCall> CALLS = new LinkedHashMap<>();

    @BeforeAll
    static void transcribeTheFixtures() throws IOException {
        asr = VoskTranscriber.open(Path.of(System.getProperty("earshot.model")), 2);
        executor = Executors.newFixedThreadPool(2);
        CallAnalyzer analyzer = new CallAnalyzer(VadConfig.DEFAULTS, asr, executor);
        for (FixtureCall call : FixtureCall.all()) {
            CallAnalysis analysis = analyzer.analyze(call.audio());
            List<UtteranceItem> items = new ArrayList<>();
            for (Utterance u : analysis.transcript()) {
                items.add(CallEvents.item(u));
            }
            TRANSCRIPTS.put(call.id(), items);
            CALLS.put(call.id(), call);
        }
    }

    @AfterAll
    static void close() {
        executor.shutdown();
        asr.close();
    }

    /** The tags of a call's script, placed at the rendered times of their lines. */
    static List<Tag> tags(FixtureCall call) throws IOException {
        Path script = FixtureCall.root().getParent().resolve("scripts").resolve(call.id() + ".txt");
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        for (JsonNode u : call.truth().path("utterances")) {
            lines.put(u.path("id").asText(), u);
        }
        List<Tag> tags = new ArrayList<>();
        for (String line : Files.readAllLines(script)) {
            Matcher m = TAG.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            JsonNode u = lines.get(m.group(1));
            assertThat(u).as("%s: tag of unknown line %s", script, m.group(1)).isNotNull();
            Set<BehaviourKind> kinds = EnumSet.noneOf(BehaviourKind.class);
            if (!m.group(2).strip().equals("-")) {
                for (String k : m.group(2).strip().split("[\\s,]+")) {
                    kinds.add(BehaviourKind.of(k));
                }
            }
            tags.add(new Tag(call.id(), m.group(1), Role.valueOf(u.path("role").asText()), u.path("startMs").asLong(),
                    u.path("endMs").asLong(), kinds));
        }
        return tags;
    }

    @Test
    void shouldTagEveryScriptedLineOfEveryFixture() throws IOException {
        for (FixtureCall call : CALLS.values()) {
            List<String> tagged = tags(call).stream().map(Tag::lineId).toList();
            List<String> scripted = new ArrayList<>();
            call.truth().path("utterances").forEach(u -> scripted.add(u.path("id").asText()));
            assertThat(tagged).as(call.id()).containsExactlyInAnyOrderElementsOf(scripted);
        }
    }

    /**
     * The floor: on the committed fixtures the detector finds 5 of the 6 tagged behaviours with
     * no false detection (recall 0.83, precision 1.0). The one miss is the mid-sentence question
     * "let me pull up your account what is the number", which the recogniser prints without a
     * pause before "what". The floor keeps a margin of one more miss or one false detection.
     */
    @Test
    void shouldFindTheTaggedBehavioursOfTheFixtureCalls() throws IOException {
        BehaviourDetector detector = new BehaviourDetector(PhraseBook.builtIn("en"));
        Map<BehaviourKind, int[]> counts = new EnumMap<>(BehaviourKind.class);
        for (BehaviourKind k : BehaviourKind.values()) {
            counts.put(k, new int[3]);
        }
        List<String> report = new ArrayList<>();
        for (Map.Entry<String, List<UtteranceItem>> e : TRANSCRIPTS.entrySet()) {
            List<Tag> tags = tags(CALLS.get(e.getKey()));
            report.add(e.getKey() + ":");
            for (UtteranceItem u : e.getValue()) {
                report.add(String.format("  %-8s %6d-%6d  %s", u.role(), u.startMs(), u.endMs(), u.text()));
            }
            Set<String> found = new java.util.HashSet<>();
            for (Behaviour b : detector.detect(e.getValue())) {
                Tag hit = tags.stream().filter(t -> t.role() == b.by() && t.kinds().contains(b.kind())
                        && b.startMs() < t.endMs() + TOLERANCE_MS && b.endMs() > t.startMs() - TOLERANCE_MS
                        && !found.contains(t.lineId() + "/" + b.kind())).findFirst().orElse(null);
                if (hit != null) {
                    found.add(hit.lineId() + "/" + b.kind());
                    counts.get(b.kind())[0]++;
                } else {
                    counts.get(b.kind())[1]++;
                }
                report.add(String.format("    %s %s %d-%d \"%s\" (%s)%s", b.by(), b.kind().label(), b.startMs(),
                        b.endMs(), b.text(), b.reason(), hit == null ? "  FALSE" : "  = " + hit.lineId()));
            }
            for (Tag t : tags) {
                for (BehaviourKind k : t.kinds()) {
                    if (!found.contains(t.lineId() + "/" + k)) {
                        counts.get(k)[2]++;
                        report.add(String.format("    missed %s %s on %s", t.role(), k.label(), t.lineId()));
                    }
                }
            }
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (Map.Entry<BehaviourKind, int[]> c : counts.entrySet()) {
            int[] v = c.getValue();
            tp += v[0];
            fp += v[1];
            fn += v[2];
            if (v[0] + v[1] + v[2] > 0) {
                report.add(String.format("%-20s precision %.2f recall %.2f (%d true, %d false, %d missed)",
                        c.getKey().label(), v[0] / (double) Math.max(1, v[0] + v[1]),
                        v[0] / (double) Math.max(1, v[0] + v[2]), v[0], v[1], v[2]));
            }
        }
        double precision = tp / (double) Math.max(1, tp + fp);
        double recall = tp / (double) Math.max(1, tp + fn);
        report.add(String.format("all kinds: precision %.2f recall %.2f (%d true, %d false, %d missed)", precision,
                recall, tp, fp, fn));
        Path out = Path.of("target", "listening-behaviours.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        System.out.println(String.join("\n", report));

        assertThat(tp + fn).as("tagged behaviours").isGreaterThanOrEqualTo(6);
        assertThat(recall).as(String.join("\n", report)).isGreaterThanOrEqualTo(0.66);
        assertThat(precision).as(String.join("\n", report)).isGreaterThanOrEqualTo(0.8);
    }
}
