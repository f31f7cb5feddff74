package io.earshot.pipeline.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.TruthEventsJson;
import io.earshot.analysis.evaluation.corpus.CallScript;
import io.earshot.analysis.evaluation.corpus.PhraseTimings;
import io.earshot.analysis.evaluation.corpus.RealizedCall;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.Realizer;
import io.earshot.analysis.evaluation.corpus.TruthLabeller;
import io.earshot.pipeline.corpus.CallMixer.MixedCall;
import io.earshot.pipeline.corpus.CallMixer.NoiseBurst;
import io.earshot.pipeline.corpus.CallMixer.PlacedPhrase;
import io.earshot.pipeline.corpus.CallMixer.Settings;
import io.earshot.pipeline.corpus.PhraseRenderer.Phrase;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Turns generated call scripts into telephone recordings with exact truth: each phrase spoken
 * by the call's voices ({@link PhraseRenderer}), the call laid out with the phrases' real
 * durations ({@link Realizer}, with the margin for rendered calls), mixed through a telephone
 * line ({@link CallMixer}) and written to {@code <outRoot>/<callId>/}: the audio
 * ({@code call.wav}, or {@code agent.wav} and {@code customer.wav}), {@code truth.rttm} (talk
 * spurts from the clean signals), {@code events.json} (the script's interruptions,
 * backchannels and response gaps at their realized times) and {@code call.json} (how to read
 * the audio: files, agent channel, encoding; and the voices and line it was made with).
 *
 * <p>Voices: a script names a voice index per party; index {@code i} of a role is one of the
 * {@link TtsVoice#RECOGNISABLE} voices with a pitch shift and tempo drawn from the corpus seed.
 * Agents are shifted down (-150..-50 cents) and customers up (+50..+150), so the two parties
 * of a call never sound alike even when they share a base voice.
 */
public final class CorpusRenderer {

    /** Voice indices per role a script may use. */
    public static final int VOICES_PER_ROLE = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PhraseRenderer renderer;
    private final Path outRoot;
    private final long seed;
    private final Map<Role, List<TtsVoice>> voices = new EnumMap<>(Role.class);

    /** A call as written: where, with which voices and line, and its truth. */
    public record RenderedCall(Path dir, List<Path> audio, TtsVoice agentVoice, TtsVoice customerVoice,
            MixedCall mixed, RealizedCall realized, CallTruth truth) {
    }

    public CorpusRenderer(PhraseRenderer renderer, Path outRoot, long seed) {
        this.renderer = renderer;
        this.outRoot = outRoot;
        this.seed = seed;
        Random rng = new Random(seed);
        for (Role role : Role.values()) {
            List<TtsVoice> bases = new ArrayList<>(TtsVoice.RECOGNISABLE);
            Collections.shuffle(bases, rng);
            List<TtsVoice> palette = new ArrayList<>();
            for (int i = 0; i < VOICES_PER_ROLE; i++) {
                int cents = 50 * (1 + rng.nextInt(3)) * (role == Role.AGENT ? -1 : 1);
                double tempo = 0.95 + 0.05 * rng.nextInt(4);
                palette.add(bases.get(i % bases.size()).withPitch(cents).withTempo(tempo));
            }
            voices.put(role, List.copyOf(palette));
        }
    }

    /** A renderer writing to the build's {@code target/corpus} (the pipeline module's). */
    public static CorpusRenderer inBuildTree(PhraseRenderer renderer, long seed) {
        return new CorpusRenderer(renderer, Path.of("target", "corpus"), seed);
    }

    /** The voice a script's index names for a role. */
    public TtsVoice voice(Role role, int index) {
        if (index < 0 || index >= VOICES_PER_ROLE) {
            throw new IllegalArgumentException("voice index " + index + " is outside 0.." + (VOICES_PER_ROLE - 1));
        }
        return voices.get(role).get(index);
    }

    /**
     * Phrase durations as the voices speak them (rendering, or the cache). Word times inside
     * a phrase are not known from the synthesisers; they are spread over the phrase in
     * proportion to each word's letters plus one, back to back.
     */
    public PhraseTimings timings() {
        return (role, voice, text) -> {
            Phrase phrase = phrase(role, voice, text);
            return new PhraseTimings.PhraseTiming(phrase.durationMs(), spreadWords(text, phrase.durationMs()));
        };
    }

    /** Realizes {@code script} with the voices' durations and writes the call; see the class comment. */
    public RenderedCall render(CallScript script) throws IOException {
        RealizedCall call;
        try {
            call = Realizer.realize(script, timings(), Realizer.RENDERED_MARGIN_MS);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return write(call);
    }

    /** Writes a call already realized with {@link #timings()}. */
    public RenderedCall write(RealizedCall call) throws IOException {
        CallScript script = call.script();
        List<PlacedPhrase> placed = new ArrayList<>();
        for (RealizedLine line : call.lines()) {
            for (RealizedPhrase p : line.phrases()) {
                Phrase phrase = phrase(line.role(), script.voice(line.role()), p.text());
                if (phrase.durationMs() != p.endMs() - p.startMs()) {
                    throw new IllegalStateException(script.callId() + " line " + line.id() + ": '" + p.text()
                            + "' was realized with " + (p.endMs() - p.startMs()) + " ms but renders in "
                            + phrase.durationMs() + " ms; realize it with this renderer's timings");
                }
                placed.add(new PlacedPhrase(line.role(), (int) p.startMs(), phrase.samples()));
            }
        }
        List<NoiseBurst> bursts = new ArrayList<>();
        for (RealizedNoise n : call.noises()) {
            bursts.add(new NoiseBurst(n.role(), (int) n.startMs(), (int) (n.endMs() - n.startMs()),
                    NoiseBurst.Kind.valueOf(n.noise().kind().name())));
        }
        // java.util.Random's first draws follow its seed closely, and call ids differ by a digit:
        // SplittableRandom scrambles the pair first, so neighbouring calls get unrelated lines
        long callSeed = new SplittableRandom(seed * 1_000_003L + script.callId().hashCode()).nextLong();
        Settings settings = Settings.draw(new Random(callSeed));
        MixedCall mixed = CallMixer.mix(placed, bursts, (int) call.durationMs(), settings);
        Path dir = outRoot.resolve(script.callId());
        List<Path> audio = mixed.write(dir, script.callId());
        CallTruth truth = new CallTruth(script.callId(), mixed.durationMs(), mixed.truth(),
                TruthLabeller.label(call).events());
        TruthEventsJson.write(dir.resolve("events.json"), truth.events());
        writeDescription(dir.resolve("call.json"), call, mixed, audio);
        return new RenderedCall(dir, audio, voice(Role.AGENT, script.agentVoice()),
                voice(Role.CUSTOMER, script.customerVoice()), mixed, call, truth);
    }

    private void writeDescription(Path file, RealizedCall call, MixedCall mixed, List<Path> audio) throws IOException {
        Settings line = mixed.settings();
        ObjectNode root = JSON.createObjectNode();
        root.put("callId", call.callId()).put("durationMs", mixed.durationMs()).put("sampleRate", CallMixer.RATE);
        ArrayNode files = root.putArray("files");
        audio.forEach(p -> files.add(p.getFileName().toString()));
        switch (line.layout()) {
            case STEREO_AGENT_LEFT -> root.put("agentChannel", "left");
            case STEREO_AGENT_RIGHT -> root.put("agentChannel", "right");
            case MONO_PAIR -> root.putNull("agentChannel");
        }
        root.put("encoding", line.encoding().name());
        root.putObject("voices").put("AGENT", voice(Role.AGENT, call.script().agentVoice()).id())
                .put("CUSTOMER", voice(Role.CUSTOMER, call.script().customerVoice()).id());
        root.putObject("line").put("agentLevelDbfs", line.agentLevelDbfs())
                .put("customerLevelDbfs", line.customerLevelDbfs()).put("echoAttenuationDb", line.echoAttenuationDb())
                .put("echoDelayMs", line.echoDelayMs()).put("noiseDbfs", line.noiseDbfs()).put("seed", line.seed());
        root.put("marginMs", call.marginMs());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                StandardCharsets.UTF_8);
    }

    private Phrase phrase(Role role, int voice, String text) {
        try {
            return renderer.render(voice(role, voice), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<PhraseTimings.WordTiming> spreadWords(String text, long durationMs) {
        String[] words = text.split(" ");
        long weight = 0;
        for (String w : words) {
            weight += w.length() + 1;
        }
        List<PhraseTimings.WordTiming> out = new ArrayList<>();
        long at = 0;
        long sum = 0;
        for (String w : words) {
            sum += w.length() + 1;
            long end = durationMs * sum / weight;
            out.add(new PhraseTimings.WordTiming(w, at, end));
            at = end;
        }
        return out;
    }
}
