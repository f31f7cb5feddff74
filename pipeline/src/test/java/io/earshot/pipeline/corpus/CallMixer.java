package io.earshot.pipeline.corpus;

import io.earshot.ingest.audio.CallAudio;
import io.earshot.ingest.audio.G711;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.audio.WavWriter;
import io.earshot.analysis.evaluation.Rttm;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mixes a two-party call from placed phrases and noise bursts through a telephone line, and
 * computes its ground-truth talk spurts.
 *
 * <p>Per role: every phrase is scaled to the role's active speech level (measured P.56 style
 * on its telephone band) and added to the role's timeline with the role's breaths and laughs;
 * the timeline passes the zero-phase telephone band and is then the role's <em>clean
 * signal</em>, from which the truth spurts are computed. Each channel then carries its own
 * clean signal, the other party's clean signal attenuated and delayed (echo, which is not
 * speech of the channel it leaks into), and band-limited Gaussian line noise; it is rounded to
 * 16 bits and, for G.711, companded. Nothing clips: a phrase whose peak would pass
 * {@link #PHRASE_PEAK_LIMIT} is played that much quieter, and a channel peaking over
 * {@link #CHANNEL_PEAK_LIMIT} fails the mix.
 */
public final class CallMixer {

    public static final int RATE = 8000;
    public static final double PHRASE_PEAK_LIMIT = 0.9;
    public static final double CHANNEL_PEAK_LIMIT = 0.97;
    /** A breath's RMS under the role's speech level: audible on the line, far under a word. */
    static final double BREATH_BELOW_SPEECH_DB = 14;
    /** A laugh's RMS under the role's speech level. */
    static final double LAUGH_BELOW_SPEECH_DB = 6;
    /** A cough's RMS under the role's speech level. */
    static final double COUGH_BELOW_SPEECH_DB = 4;
    /** A click train's RMS under the role's speech level (the clicks themselves are sharp and loud). */
    static final double CLICK_BELOW_SPEECH_DB = 16;

    /** A party's band-limited speech is turned down to this peak, leaving room for echo and noise. */
    static final double CLEAN_PEAK_LIMIT = 0.9;

    private CallMixer() {
    }

    /**
     * One phrase on a role's timeline, {@code samples} at 8 kHz, full scale 1.0, played
     * {@code gainDb} louder than the role's level (0 for the role's level; a raised voice is
     * positive).
     */
    public record PlacedPhrase(Role role, int startMs, double[] samples, double gainDb) {

        public PlacedPhrase(Role role, int startMs, double[] samples) {
            this(role, startMs, samples, 0);
        }

        public int endMs() {
            return startMs + samples.length / Levels.SAMPLES_PER_MS;
        }
    }

    /** A word-less sound of one role: a breath, laugh, cough or clicks, synthesised here from seeded noise. */
    public record NoiseBurst(Role role, int startMs, int lengthMs, Kind kind) {

        public enum Kind {
            BREATH,
            LAUGH,
            COUGH,
            CLICK
        }

        public NoiseBurst {
            if (lengthMs < 60) {
                throw new IllegalArgumentException("a noise burst lasts at least 60 ms, not " + lengthMs);
            }
        }
    }

    /** How the two channels are stored. */
    public enum Layout {
        STEREO_AGENT_LEFT,
        STEREO_AGENT_RIGHT,
        MONO_PAIR
    }

    /**
     * The line of one call.
     *
     * @param agentLevelDbfs    active speech level of the agent's phrases
     * @param customerLevelDbfs likewise for the customer
     * @param echoAttenuationDb how far under the original the other party leaks into a channel
     * @param echoDelayMs       the delay of that leak
     * @param noiseDbfs         RMS of the line noise on each channel
     * @param encoding          PCMU or PCM16 (PCMA works too)
     * @param layout            one stereo file or two mono files
     * @param seed              seeds the line noise and the noise bursts
     */
    public record Settings(double agentLevelDbfs, double customerLevelDbfs, double echoAttenuationDb,
            int echoDelayMs, double noiseDbfs, SampleEncoding encoding, Layout layout, long seed) {

        /**
         * A line drawn from {@code rng}: levels -18..-24 dBFS per role, echo 26-33 dB down and
         * 24-56 ms late, noise -56..-60 dBFS, mu-law three calls in four, else PCM16; stereo
         * with the agent on either side three calls in four, else a pair of mono files.
         */
        public static Settings draw(Random rng) {
            double agent = -24 + 6 * rng.nextDouble();
            double customer = -24 + 6 * rng.nextDouble();
            double echo = 26 + 7 * rng.nextDouble();
            int delay = 24 + rng.nextInt(33);
            double noise = -60 + 4 * rng.nextDouble();
            SampleEncoding encoding = rng.nextInt(4) < 3 ? SampleEncoding.PCMU : SampleEncoding.PCM16;
            Layout layout = switch (rng.nextInt(4)) {
                case 0 -> Layout.MONO_PAIR;
                case 1 -> Layout.STEREO_AGENT_RIGHT;
                default -> Layout.STEREO_AGENT_LEFT;
            };
            return new Settings(round1(agent), round1(customer), round1(echo), delay, round1(noise), encoding,
                    layout, rng.nextLong());
        }

        public double levelDbfs(Role role) {
            return role == Role.AGENT ? agentLevelDbfs : customerLevelDbfs;
        }

        private static double round1(double v) {
            return Math.round(v * 10) / 10.0;
        }
    }

    /**
     * A mixed call.
     *
     * @param clean the clean signal of each role (band-limited, no echo, no noise)
     * @param line  each channel as stored, decoded back to PCM16 (what a reader of the files gets)
     * @param truth the ground-truth talk spurts of both roles, sorted by start
     * @param limitedPhrases how many phrases were played quieter than their role's level so as
     *                       not to clip
     */
    public record MixedCall(Settings settings, int durationMs, Map<Role, double[]> clean, Map<Role, short[]> line,
            List<TruthSegment> truth, int limitedPhrases) {

        /** The call as Earshot's ingest reads it from the files. */
        public CallAudio audio(String source) {
            return new CallAudio(source, RATE, line.get(Role.AGENT), line.get(Role.CUSTOMER));
        }

        /**
         * Writes {@code call.wav} (stereo) or {@code agent.wav} and {@code customer.wav}, and
         * {@code truth.rttm}, into {@code dir}; returns the audio files written.
         */
        public List<Path> write(Path dir, String recordingId) throws IOException {
            Files.createDirectories(dir);
            short[] agent = line.get(Role.AGENT);
            short[] customer = line.get(Role.CUSTOMER);
            List<Path> files = switch (settings.layout()) {
                case STEREO_AGENT_LEFT -> List.of(write(dir.resolve("call.wav"), agent, customer));
                case STEREO_AGENT_RIGHT -> List.of(write(dir.resolve("call.wav"), customer, agent));
                case MONO_PAIR -> List.of(write(dir.resolve("agent.wav"), agent), write(dir.resolve("customer.wav"),
                        customer));
            };
            Rttm.write(dir.resolve("truth.rttm"), recordingId, truth);
            return files;
        }

        private Path write(Path file, short[]... channels) throws IOException {
            WavWriter.write(file, RATE, settings.encoding(), channels);
            return file;
        }
    }

    /**
     * Mixes the call; it lasts {@code durationMs} rounded up to 20 ms, which must hold every
     * phrase and burst.
     */
    public static MixedCall mix(List<PlacedPhrase> phrases, List<NoiseBurst> bursts, int durationMs,
            Settings settings) {
        int duration = (durationMs + TruthSpurts.FRAME_MS - 1) / TruthSpurts.FRAME_MS * TruthSpurts.FRAME_MS;
        int n = duration * Levels.SAMPLES_PER_MS;
        Random rng = new Random(settings.seed());
        int limited = 0;
        Map<Role, double[]> clean = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            double[] raw = new double[n];
            for (PlacedPhrase p : phrases.stream().filter(p -> p.role() == role)
                    .sorted(Comparator.comparingInt(PlacedPhrase::startMs)).toList()) {
                if (p.startMs() < 0 || p.endMs() > duration) {
                    throw new IllegalArgumentException(role + " phrase at " + p.startMs() + "-" + p.endMs()
                            + " ms lies outside the call's " + duration + " ms");
                }
                double gain = Levels.dbToAmp(settings.levelDbfs(role) + p.gainDb()
                        - Levels.activeLevelDb(TelephoneBand.filter(p.samples())));
                double peak = Levels.peak(p.samples()) * gain;
                if (peak > PHRASE_PEAK_LIMIT) {
                    gain *= PHRASE_PEAK_LIMIT / peak;
                    limited++;
                }
                int at = p.startMs() * Levels.SAMPLES_PER_MS;
                for (int i = 0; i < p.samples().length; i++) {
                    raw[at + i] += gain * p.samples()[i];
                }
            }
            for (NoiseBurst b : bursts.stream().filter(b -> b.role() == role)
                    .sorted(Comparator.comparingInt(NoiseBurst::startMs)).toList()) {
                if (b.startMs() < 0 || b.startMs() + b.lengthMs() > duration) {
                    throw new IllegalArgumentException(role + " burst at " + b.startMs() + " ms lies outside the call");
                }
                double[] sound = burst(b, settings.levelDbfs(role), rng);
                int at = b.startMs() * Levels.SAMPLES_PER_MS;
                for (int i = 0; i < sound.length; i++) {
                    raw[at + i] += sound[i];
                }
            }
            double[] filtered = TelephoneBand.filter(raw);
            // overlapping bursts and the band filter's ringing can push a loud phrase past the
            // limit; the whole party is then turned down, so its truth is read from what is heard
            double cleanPeak = Levels.peak(filtered);
            if (cleanPeak > CLEAN_PEAK_LIMIT) {
                for (int i = 0; i < filtered.length; i++) {
                    filtered[i] *= CLEAN_PEAK_LIMIT / cleanPeak;
                }
                limited++;
            }
            clean.put(role, filtered);
        }
        int delay = settings.echoDelayMs() * Levels.SAMPLES_PER_MS;
        double echoGain = Levels.dbToAmp(-settings.echoAttenuationDb());
        double noiseRms = Levels.dbToAmp(settings.noiseDbfs());
        Map<Role, short[]> line = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            double[] own = clean.get(role);
            double[] other = clean.get(role == Role.AGENT ? Role.CUSTOMER : Role.AGENT);
            double[] noise = new double[n];
            for (int i = 0; i < n; i++) {
                noise[i] = rng.nextGaussian();
            }
            noise = TelephoneBand.filter(noise);
            double scale = noiseRms / Levels.dbToAmp(Levels.rmsDbfs(noise, 0, n));
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = own[i] + (i >= delay ? echoGain * other[i - delay] : 0) + scale * noise[i];
            }
            double peak = Levels.peak(y);
            if (peak > CHANNEL_PEAK_LIMIT) {
                throw new IllegalStateException(role + " channel peaks at " + peak + " of full scale");
            }
            line.put(role, encodeDecode(y, settings.encoding()));
        }
        List<TruthSegment> truth = new ArrayList<>();
        for (Role role : Role.values()) {
            truth.addAll(TruthSpurts.of(role, clean.get(role)));
        }
        truth.sort(Comparator.comparingLong(TruthSegment::startMs).thenComparing(TruthSegment::role));
        return new MixedCall(settings, duration, clean, line, List.copyOf(truth), limited);
    }

    /** 16-bit rounding, then the G.711 round trip when the call is companded. */
    private static short[] encodeDecode(double[] y, SampleEncoding encoding) {
        short[] out = new short[y.length];
        for (int i = 0; i < y.length; i++) {
            short s = (short) Math.max(-32768, Math.min(32767, Math.round(y[i] * 32768.0)));
            out[i] = switch (encoding) {
                case PCM16 -> s;
                case PCMU -> G711.ulawToLinear(G711.linearToUlaw(s));
                case PCMA -> G711.alawToLinear(G711.linearToAlaw(s));
            };
        }
        return out;
    }

    /**
     * Each sound fills its whole length (no silence longer than the truth's 250 ms bridge
     * inside it), so its truth spurt spans it. A breath: Gaussian noise band-passed to
     * 600-2800 Hz under one smooth swell (sine-squared, peak at 40% of its length). A laugh:
     * bursts of 4-6 per second, each a buzz (harmonics of a voice pitch of 190-260 Hz falling
     * 15% across the laugh) mixed with aspiration noise, under a sine-squared envelope. A cough:
     * a 5 ms attack into broadband noise with a little buzz, decaying 30 dB over its length. Clicks:
     * 3 ms broadband transients every 60-120 ms from its start to its end. Each is scaled to an
     * RMS a fixed distance under the role's speech level.
     */
    static double[] burst(NoiseBurst b, double speechLevelDbfs, Random rng) {
        int n = b.lengthMs() * Levels.SAMPLES_PER_MS;
        double[] noise = new double[n];
        for (int i = 0; i < n; i++) {
            noise[i] = rng.nextGaussian();
        }
        double[] y = new double[n];
        double belowSpeech;
        switch (b.kind()) {
            case BREATH -> {
                noise = TelephoneBand.bandPass(noise, 600, 2800);
                for (int i = 0; i < n; i++) {
                    double t = (double) i / n;
                    double phase = t < 0.4 ? t / 0.4 * 0.5 : 0.5 + (t - 0.4) / 0.6 * 0.5;
                    double env = StrictMath.sin(StrictMath.PI * phase);
                    y[i] = noise[i] * env * env;
                }
                belowSpeech = BREATH_BELOW_SPEECH_DB;
            }
            case LAUGH -> {
                noise = TelephoneBand.bandPass(noise, 400, 3000);
                double rate = 4 + 2 * rng.nextDouble();
                double f0 = 190 + 70 * rng.nextDouble();
                double phase = 0;
                for (int i = 0; i < n; i++) {
                    double t = (double) i / RATE;
                    phase += 2 * StrictMath.PI * f0 * (1 - 0.15 * i / n) / RATE;
                    double pulse = StrictMath.sin(StrictMath.PI * ((t * rate) % 1.0));
                    y[i] = (0.6 * buzz(phase) + 0.5 * noise[i]) * pulse * pulse;
                }
                belowSpeech = LAUGH_BELOW_SPEECH_DB;
            }
            case COUGH -> {
                double f0 = 120 + 80 * rng.nextDouble();
                double phase = 0;
                for (int i = 0; i < n; i++) {
                    phase += 2 * StrictMath.PI * f0 / RATE;
                    double attack = Math.min(1.0, i / (5.0 * Levels.SAMPLES_PER_MS));
                    double decay = Levels.dbToAmp(-30.0 * i / n);
                    y[i] = (noise[i] + 0.3 * buzz(phase)) * attack * decay;
                }
                belowSpeech = COUGH_BELOW_SPEECH_DB;
            }
            case CLICK -> {
                int at = 0;
                int click = 3 * Levels.SAMPLES_PER_MS;
                while (at + click <= n) {
                    for (int i = 0; i < click; i++) {
                        y[at + i] = noise[at + i] * (1 - (double) i / click);
                    }
                    int next = at + (60 + rng.nextInt(61)) * Levels.SAMPLES_PER_MS;
                    at = next + click > n && at < n - 2 * click ? n - click : next;
                }
                belowSpeech = CLICK_BELOW_SPEECH_DB;
            }
            default -> throw new IllegalStateException("unknown burst kind " + b.kind());
        }
        double rms = Levels.dbToAmp(Levels.rmsDbfs(y, 0, n));
        double gain = Levels.dbToAmp(speechLevelDbfs - belowSpeech) / rms;
        for (int i = 0; i < n; i++) {
            y[i] *= gain;
        }
        if (b.kind() != NoiseBurst.Kind.CLICK) {
            Levels.fadeIn(y, 80);
            Levels.fadeOut(y, 80);
        }
        return y;
    }

    /** A buzz at the phase's fundamental: 12 harmonics falling 6 dB per octave. */
    private static double buzz(double phase) {
        double v = 0;
        for (int h = 1; h <= 12; h++) {
            v += StrictMath.sin(h * phase) / h;
        }
        return v;
    }
}
