package io.earshot.pipeline.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.CallAudio;
import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.Rttm;
import io.earshot.analysis.evaluation.TruthEventsJson;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.analysis.evaluation.corpus.ConversationGenerator;
import io.earshot.analysis.evaluation.corpus.ConversationGenerator.GeneratedCall;
import io.earshot.analysis.evaluation.corpus.Realizer;
import io.earshot.analysis.evaluation.corpus.TruthLabeller;
import io.earshot.pipeline.corpus.CorpusRenderer.RenderedCall;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated calls rendered to audio: the generator plans and realizes each call with the
 * voices' real phrase durations, the renderer writes it, and what it writes must be the
 * script's truth.
 */
class CorpusRendererTest {

    private static final long SEED = 21;
    private static final int CALLS = 3;

    private static PhraseRenderer phrases;
    private static CorpusRenderer corpus;
    private static final List<RenderedCall> RENDERED = new ArrayList<>();

    @BeforeAll
    static void renderCalls() throws IOException {
        phrases = PhraseRenderer.inBuildCache();
        corpus = CorpusRenderer.inBuildTree(phrases, SEED);
        ConversationGenerator generator = new ConversationGenerator(SEED);
        for (int i = 0; i < CALLS; i++) {
            GeneratedCall call = generator.generate(i, corpus.timings(), Realizer.RENDERED_MARGIN_MS);
            RENDERED.add(corpus.write(call.call()));
        }
    }

    @AfterAll
    static void stopSynthesisers() {
        phrases.close();
        RENDERED.clear();
    }

    @Test
    void shouldWriteTheAudioTheRttmTheEventsAndHowToReadThemForEachCall() throws IOException {
        for (RenderedCall r : RENDERED) {
            CallTruth scripted = TruthLabeller.label(r.realized());
            assertThat(r.dir()).isEqualTo(Path.of("target", "corpus", r.realized().callId()));
            assertThat(Rttm.read(r.dir().resolve("truth.rttm"))).isEqualTo(r.mixed().truth());
            assertThat(TruthEventsJson.read(r.dir().resolve("events.json"))).isEqualTo(scripted.events());
            JsonNode description = new ObjectMapper().readTree(r.dir().resolve("call.json").toFile());
            List<Path> files = new ArrayList<>();
            description.get("files").forEach(f -> files.add(r.dir().resolve(f.asText())));
            AgentChannel side = description.get("agentChannel").isNull() ? AgentChannel.LEFT
                    : AgentChannel.parse(description.get("agentChannel").asText());
            CallAudio audio = CallAudio.load(files, side);
            assertThat(audio.agent()).isEqualTo(r.mixed().line().get(Role.AGENT));
            assertThat(audio.customer()).isEqualTo(r.mixed().line().get(Role.CUSTOMER));
            assertThat(description.get("voices").get("AGENT").asText()).isEqualTo(r.agentVoice().id());
            assertThat(audio.durationMs()).isGreaterThanOrEqualTo(r.realized().durationMs());
        }
        assertThat(RENDERED).hasSize(CALLS);
    }

    /**
     * Where the script puts speech (its phrases and noises made into spurts) is where the clean
     * signals carry it by the truth's rule: every scripted start and end has a heard one of the
     * same party within 60 ms (three truth frames: the frame grid is the call's, not the phrase's, and a
     * phrase's last frame holds its fade), and talk time agrees within 6%. (A pause the script makes just
     * under the 250 ms bridge may come out just over it, splitting one scripted spurt in two:
     * that adds heard edges, it moves none, and takes the pause out of the talk time.)
     */
    @Test
    void shouldHearTheScriptedSpeechWhereTheScriptPutsIt() {
        List<String> far = new ArrayList<>();
        int edges = 0;
        for (RenderedCall r : RENDERED) {
            List<TruthSegment> heard = r.mixed().truth();
            for (TruthSegment s : TruthLabeller.label(r.realized()).speech()) {
                edges += 2;
                if (heard.stream().noneMatch(h -> h.role() == s.role() && Math.abs(h.startMs() - s.startMs()) <= 60)) {
                    far.add(r.realized().callId() + " start of " + s + " nearest heard start " + heard.stream()
                            .filter(h -> h.role() == s.role()).mapToLong(h -> h.startMs() - s.startMs())
                            .boxed().min(Comparator.comparingLong(Math::abs)).orElse(null));
                }
                if (heard.stream().noneMatch(h -> h.role() == s.role() && Math.abs(h.endMs() - s.endMs()) <= 60)) {
                    far.add(r.realized().callId() + " end of " + s + " nearest heard end " + heard.stream()
                            .filter(h -> h.role() == s.role()).mapToLong(h -> h.endMs() - s.endMs())
                            .boxed().min(Comparator.comparingLong(Math::abs)).orElse(null));
                }
            }
            for (Role role : Role.values()) {
                long scripted = TruthLabeller.label(r.realized()).speech().stream().filter(t -> t.role() == role)
                        .mapToLong(TruthSegment::durationMs).sum();
                long found = heard.stream().filter(t -> t.role() == role).mapToLong(TruthSegment::durationMs).sum();
                assertThat((double) found).as("%s %s talk time", r.realized().callId(), role)
                        .isCloseTo(scripted, within(scripted * 0.06));
            }
        }
        assertThat(edges).isGreaterThan(60);
        assertThat(far).as("scripted spurt edges with no heard edge within 60 ms").isEmpty();
    }

    @Test
    void shouldGiveTheTwoPartiesDifferentVoices() {
        for (RenderedCall r : RENDERED) {
            assertThat(r.agentVoice()).isNotEqualTo(r.customerVoice());
            assertThat(r.agentVoice().pitchCents()).isNegative();
            assertThat(r.customerVoice().pitchCents()).isPositive();
            assertThat(TtsVoice.RECOGNISABLE).contains(r.agentVoice().base(), r.customerVoice().base());
        }
        assertThat(RENDERED).isNotEmpty();
    }

    @Test
    void shouldRenderTheSameCallByteForByteAgain(@TempDir Path again) throws IOException {
        RenderedCall first = RENDERED.get(0);
        RenderedCall second = new CorpusRenderer(phrases, again, SEED).render(first.realized().script());

        assertThat(second.audio()).hasSameSizeAs(first.audio());
        for (int i = 0; i < first.audio().size(); i++) {
            assertThat(Files.readAllBytes(second.audio().get(i))).isEqualTo(Files.readAllBytes(first.audio().get(i)));
        }
        assertThat(Files.readString(second.dir().resolve("events.json")))
                .isEqualTo(Files.readString(first.dir().resolve("events.json")));
    }
}
