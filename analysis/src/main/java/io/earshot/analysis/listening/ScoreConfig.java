package io.earshot.analysis.listening;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights and thresholds of the listening score (docs/metrics.md, "Listening score"). Each
 * component earns {@code weight * fraction} points, its fraction running linearly between the
 * value that earns nothing and the value that earns everything:
 *
 * @param weights                    weight of each component by name ({@link #COMPONENTS}); 0 leaves it out
 * @param interruptionsZeroPer10Min  agent interruptions per 10 minutes that earn no points (0 earns all)
 * @param talkShareFalloff           how far outside the talk-share band the share earns nothing
 *                                   (inside the band earns all)
 * @param backchannelsFullPerMinute  agent backchannels per minute of customer talk that earn all points
 * @param backchannelsMinCustomerTalkMs customer talk below which backchannels are not judged
 * @param confirmationsFullPer10Min  paraphrases and summaries per 10 minutes that earn all points
 * @param empathyFullPer10Min        empathy per 10 minutes that earns all points
 * @param openQuestionsFullPer10Min  open questions per 10 minutes that earn all points
 * @param followUpsFullPer10Min      follow-up commitments per 10 minutes that earn all points
 * @param raisedVoiceZeroPer10Min    agent raised-voice events per 10 minutes that earn no points
 * @param monotoneZeroPer10Min       agent monotone minutes per 10 minutes that earn no points
 * @param behavioursMinCallMs        call time below which the behaviour and voice components are
 *                                   not judged yet (a call's first minute has had no chance)
 */
public record ScoreConfig(
        LinkedHashMap<String, Double> weights,
        double interruptionsZeroPer10Min,
        double talkShareFalloff,
        double backchannelsFullPerMinute,
        long backchannelsMinCustomerTalkMs,
        double confirmationsFullPer10Min,
        double empathyFullPer10Min,
        double openQuestionsFullPer10Min,
        double followUpsFullPer10Min,
        double raisedVoiceZeroPer10Min,
        double monotoneZeroPer10Min,
        long behavioursMinCallMs) implements java.io.Serializable {

    /** The components, in the order results list them. */
    public static final List<String> COMPONENTS = List.of("interruptions", "pause_respect", "talk_share",
            "backchannels", "confirmation", "empathy", "open_questions", "follow_up", "calm_voice", "lively_voice");

    /** Default weights: they add up to 100, so a component's weight is its share of the score in percent. */
    public static final Map<String, Double> DEFAULT_WEIGHTS = defaultWeights();

    public static final ScoreConfig DEFAULTS = new ScoreConfig(new LinkedHashMap<>(DEFAULT_WEIGHTS), 3.0, 0.20, 1.0,
            30_000, 2.0, 1.0, 2.0, 1.0, 1.0, 1.0, 60_000);

    public ScoreConfig {
        LinkedHashMap<String, Double> ordered = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>(weights.keySet());
        unknown.removeAll(COMPONENTS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown listening score component(s) " + unknown
                    + "; the components are " + COMPONENTS);
        }
        double sum = 0;
        for (String name : COMPONENTS) {
            Double w = weights.get(name);
            double weight = w == null ? 0 : w;
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("listening score weight of " + name
                        + " must be a number >= 0, not " + w);
            }
            ordered.put(name, weight);
            sum += weight;
        }
        if (sum <= 0) {
            throw new IllegalArgumentException("listening score: at least one weight must be positive");
        }
        weights = ordered;
        positive("interruptionsZeroPer10Min", interruptionsZeroPer10Min);
        positive("talkShareFalloff", talkShareFalloff);
        positive("backchannelsFullPerMinute", backchannelsFullPerMinute);
        positive("confirmationsFullPer10Min", confirmationsFullPer10Min);
        positive("empathyFullPer10Min", empathyFullPer10Min);
        positive("openQuestionsFullPer10Min", openQuestionsFullPer10Min);
        positive("followUpsFullPer10Min", followUpsFullPer10Min);
        positive("raisedVoiceZeroPer10Min", raisedVoiceZeroPer10Min);
        positive("monotoneZeroPer10Min", monotoneZeroPer10Min);
        if (backchannelsMinCustomerTalkMs < 0 || behavioursMinCallMs < 0) {
            throw new IllegalArgumentException("listening score: minimum times must be >= 0");
        }
    }

    /** The same thresholds with other weights (unnamed components weigh 0). */
    public ScoreConfig withWeights(Map<String, Double> newWeights) {
        return new ScoreConfig(new LinkedHashMap<>(newWeights), interruptionsZeroPer10Min, talkShareFalloff,
                backchannelsFullPerMinute, backchannelsMinCustomerTalkMs, confirmationsFullPer10Min,
                empathyFullPer10Min, openQuestionsFullPer10Min, followUpsFullPer10Min, raisedVoiceZeroPer10Min,
                monotoneZeroPer10Min, behavioursMinCallMs);
    }

    /** Every threshold by its configuration name, as results echo them. */
    public LinkedHashMap<String, Double> thresholds() {
        LinkedHashMap<String, Double> t = new LinkedHashMap<>();
        t.put("interruptionsZeroPer10Min", interruptionsZeroPer10Min);
        t.put("talkShareFalloff", talkShareFalloff);
        t.put("backchannelsFullPerMinute", backchannelsFullPerMinute);
        t.put("backchannelsMinCustomerTalkMs", (double) backchannelsMinCustomerTalkMs);
        t.put("confirmationsFullPer10Min", confirmationsFullPer10Min);
        t.put("empathyFullPer10Min", empathyFullPer10Min);
        t.put("openQuestionsFullPer10Min", openQuestionsFullPer10Min);
        t.put("followUpsFullPer10Min", followUpsFullPer10Min);
        t.put("raisedVoiceZeroPer10Min", raisedVoiceZeroPer10Min);
        t.put("monotoneZeroPer10Min", monotoneZeroPer10Min);
        t.put("behavioursMinCallMs", (double) behavioursMinCallMs);
        return t;
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("listening score: " + name + " must be a number > 0, not " + v);
        }
    }

    private static Map<String, Double> defaultWeights() {
        LinkedHashMap<String, Double> w = new LinkedHashMap<>();
        w.put("interruptions", 20.0);
        w.put("pause_respect", 15.0);
        w.put("talk_share", 15.0);
        w.put("backchannels", 10.0);
        w.put("confirmation", 10.0);
        w.put("empathy", 5.0);
        w.put("open_questions", 10.0);
        w.put("follow_up", 5.0);
        w.put("calm_voice", 5.0);
        w.put("lively_voice", 5.0);
        return java.util.Collections.unmodifiableMap(w);
    }
}
