package io.earshot.pipeline.corpus;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One synthetic voice of the test corpus: a Debian TTS engine and voice, widened by a pitch
 * shift and a tempo change done with sox (both keep the timbre's formants roughly in place,
 * so one engine voice yields many speakers).
 *
 * <p>Only voices that the committed fixtures do not use are offered (they use festival's
 * {@code cmu_us_slt_arctic_hts} and flite's {@code rms} and {@code awb}), so the corpus tests
 * the pipeline on speakers it was not tuned on.
 *
 * @param engine     the synthesiser
 * @param name       the engine's voice name: flite {@code kal16}, festival {@code kal_diphone}
 *                   (selected as {@code (voice_kal_diphone)}), espeak-ng {@code en-us+m3}
 * @param pitchCents sox {@code pitch} shift, 0 for none
 * @param tempo      sox {@code tempo} factor (above 1 is faster), 1 for none
 */
public record TtsVoice(Engine engine, String name, int pitchCents, double tempo) {

    /** The synthesisers, each with the Debian package that brings it. */
    public enum Engine {
        FLITE,
        FESTIVAL,
        ESPEAK;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    // before the voice constants below, which the constructor checks against these
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+(-[a-z0-9_]+)*(\\+[a-z0-9]+)?");
    private static final Pattern ID = Pattern.compile(
            "([a-z]+):([^,]+)(?:,pitch=([+-]\\d+))?(?:,tempo=(\\d+\\.\\d+))?");

    public static final int MAX_PITCH_CENTS = 300;
    public static final double MIN_TEMPO = 0.9;
    public static final double MAX_TEMPO = 1.15;

    public static final TtsVoice FLITE_KAL16 = of(Engine.FLITE, "kal16");
    public static final TtsVoice FLITE_KAL = of(Engine.FLITE, "kal");
    public static final TtsVoice FESTIVAL_KAL = of(Engine.FESTIVAL, "kal_diphone");
    public static final TtsVoice FESTIVAL_KED = of(Engine.FESTIVAL, "ked_diphone");
    public static final TtsVoice ESPEAK_US = of(Engine.ESPEAK, "en-us");
    public static final TtsVoice ESPEAK_GB = of(Engine.ESPEAK, "en-gb");
    public static final TtsVoice ESPEAK_US_M3 = of(Engine.ESPEAK, "en-us+m3");
    public static final TtsVoice ESPEAK_US_F2 = of(Engine.ESPEAK, "en-us+f2");

    /** Every base voice on offer, unshifted. */
    public static final List<TtsVoice> BASE_VOICES = List.of(FLITE_KAL16, FLITE_KAL, FESTIVAL_KAL, FESTIVAL_KED,
            ESPEAK_US, ESPEAK_GB, ESPEAK_US_M3, ESPEAK_US_F2);

    /**
     * The voices Earshot's recogniser understands well enough for calls whose truth depends on
     * words (backchannels, word-less spurts): sentence word error rate under about 30% through
     * the full ingest (CorpusVoicesIT measures it). The other espeak-ng voices come out at
     * 35-50%.
     */
    public static final List<TtsVoice> RECOGNISABLE = List.of(FLITE_KAL16, FLITE_KAL, FESTIVAL_KAL, FESTIVAL_KED,
            ESPEAK_US_F2);

    /**
     * Backchannel phrases the recognisable voices say so that the recogniser hears them as
     * backchannel tokens. "uh huh" is not among them: no voice gets it heard as a token (it
     * comes out as "the", "ah", "haha" or nothing).
     */
    public static final List<String> CORPUS_TOKENS = List.of("mhmm", "mm hmm", "yeah", "yeah yeah", "okay", "right",
            "got it");

    public TtsVoice {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a voice name: '" + name + "'");
        }
        if (Math.abs(pitchCents) > MAX_PITCH_CENTS) {
            throw new IllegalArgumentException("pitch shift " + pitchCents + " cents is outside +-" + MAX_PITCH_CENTS);
        }
        if (tempo < MIN_TEMPO - 1e-9 || tempo > MAX_TEMPO + 1e-9) {
            throw new IllegalArgumentException("tempo " + tempo + " is outside " + MIN_TEMPO + ".." + MAX_TEMPO);
        }
        tempo = Math.round(tempo * 100) / 100.0;
    }

    public static TtsVoice of(Engine engine, String name) {
        return new TtsVoice(engine, name, 0, 1.0);
    }

    public TtsVoice withPitch(int cents) {
        return new TtsVoice(engine, name, cents, tempo);
    }

    public TtsVoice withTempo(double factor) {
        return new TtsVoice(engine, name, pitchCents, factor);
    }

    /** The unshifted voice this one is a variant of. */
    public TtsVoice base() {
        return of(engine, name);
    }

    /** {@code engine:name[,pitch=+N][,tempo=F]}, e.g. {@code espeak:en-us+m3,pitch=-200,tempo=1.05}. */
    public String id() {
        StringBuilder b = new StringBuilder(engine.id()).append(':').append(name);
        if (pitchCents != 0) {
            b.append(",pitch=").append(pitchCents > 0 ? "+" : "").append(pitchCents);
        }
        if (tempo != 1.0) {
            b.append(",tempo=").append(String.format(Locale.ROOT, "%.2f", tempo));
        }
        return b.toString();
    }

    /** The inverse of {@link #id()}. */
    public static TtsVoice parse(String id) {
        Matcher m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a voice id: '" + id + "'");
        }
        Engine engine = Engine.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        int pitch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        double tempo = m.group(4) == null ? 1.0 : Double.parseDouble(m.group(4));
        return new TtsVoice(engine, m.group(2), pitch, tempo);
    }

    /**
     * A random speaker: one of {@code bases} with a pitch shift of -300..+300 cents (steps of
     * 50) and a tempo of 0.90..1.15 (steps of 0.05), all from {@code rng}.
     */
    public static TtsVoice draw(Random rng, List<TtsVoice> bases) {
        TtsVoice base = bases.get(rng.nextInt(bases.size()));
        int pitch = 50 * (rng.nextInt(2 * MAX_PITCH_CENTS / 50 + 1) - MAX_PITCH_CENTS / 50);
        double tempo = MIN_TEMPO + 0.05 * rng.nextInt((int) Math.round((MAX_TEMPO - MIN_TEMPO) / 0.05) + 1);
        return base.withPitch(pitch).withTempo(tempo);
    }

    @Override
    public String toString() {
        return id();
    }
}
