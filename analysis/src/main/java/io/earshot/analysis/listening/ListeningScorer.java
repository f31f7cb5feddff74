package io.earshot.analysis.listening;

import io.earshot.analysis.metrics.ListeningTotals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The listening score (docs/metrics.md, "Listening score"), computed from additive totals only,
 * so a call's score and an agent window's score follow one formula: a window's score is the
 * score of its summed counts, never an average of call scores.
 *
 * <p>Each component turns one measured value into a fraction from 0 to 1 and earns
 * {@code weight * fraction} points; the score is {@code 100 * sum(points) / sum(weights)} over
 * the components that can be judged (a value that is not NaN and a positive weight). A component
 * without data (no customer-to-agent transfer yet, under a minute of call) is left out rather
 * than counted as 0 or as full: "not yet known" must not read as good or bad.
 */
public final class ListeningScorer {

    private ListeningScorer() {
    }

    /**
     * The score of these totals.
     *
     * @param talkShareLow  lower bound of the agent's talk-share target band
     * @param talkShareHigh upper bound of the band
     */
    public static ListeningScore score(ListeningTotals t, double talkShareLow, double talkShareHigh, ScoreConfig c) {
        ListeningCounts n = t.listening();
        boolean judged = t.callTimeMs() > 0 && t.callTimeMs() >= c.behavioursMinCallMs();
        List<ScoreComponent> components = new ArrayList<>();
        double per10 = t.callTimeMs() > 0 ? (double) ListeningTotals.TEN_MINUTES_MS / t.callTimeMs() : Double.NaN;

        double interruptions = t.agentInterruptionsPer10Min();
        add(components, c, "interruptions", interruptions, descending(interruptions, c.interruptionsZeroPer10Min()));
        double respect = t.pauseRespectRate();
        add(components, c, "pause_respect", respect, clamp(respect));
        double share = t.agentTalkShare();
        double outside = share < talkShareLow ? talkShareLow - share : share > talkShareHigh ? share - talkShareHigh : 0;
        add(components, c, "talk_share", share, clamp(1 - outside / c.talkShareFalloff()));
        double backchannels = t.customerTalkMs() > 0 && t.customerTalkMs() >= c.backchannelsMinCustomerTalkMs()
                ? t.agentBackchannels() * 60_000.0 / t.customerTalkMs() : Double.NaN;
        add(components, c, "backchannels", backchannels, ascending(backchannels, c.backchannelsFullPerMinute()));
        rate(components, c, "confirmation", judged, n.agentConfirmations() * per10, c.confirmationsFullPer10Min(), true);
        rate(components, c, "empathy", judged, n.agentEmpathy() * per10, c.empathyFullPer10Min(), true);
        rate(components, c, "open_questions", judged, n.agentOpenQuestions() * per10, c.openQuestionsFullPer10Min(),
                true);
        rate(components, c, "follow_up", judged, n.agentFollowUps() * per10, c.followUpsFullPer10Min(), true);
        rate(components, c, "calm_voice", judged, n.agentRaisedVoice() * per10, c.raisedVoiceZeroPer10Min(), false);
        rate(components, c, "lively_voice", judged, n.agentMonotone() * per10, c.monotoneZeroPer10Min(), false);

        double points = 0;
        double weights = 0;
        for (ScoreComponent k : components) {
            if (k.counted()) {
                points += k.points();
                weights += k.weight();
            }
        }
        double score = weights > 0 ? Math.round(1000 * points / weights) / 10.0 : Double.NaN;
        LinkedHashMap<String, Double> thresholds = c.thresholds();
        thresholds.put("talkShareLow", talkShareLow);
        thresholds.put("talkShareHigh", talkShareHigh);
        return new ListeningScore(score, components, thresholds);
    }

    private static void rate(List<ScoreComponent> out, ScoreConfig c, String name, boolean judged, double per10Min,
            double threshold, boolean more) {
        double value = judged ? per10Min : Double.NaN;
        add(out, c, name, value, more ? ascending(value, threshold) : descending(value, threshold));
    }

    private static void add(List<ScoreComponent> out, ScoreConfig c, String name, double value, double fraction) {
        double weight = c.weights().get(name);
        boolean known = !Double.isNaN(value) && !Double.isNaN(fraction);
        double points = known ? Math.round(100 * weight * fraction) / 100.0 : 0;
        out.add(new ScoreComponent(name, known ? round(value) : Double.NaN, weight, points));
    }

    /** 0 at 0, 1 at {@code full} and above. */
    private static double ascending(double value, double full) {
        return Double.isNaN(value) ? Double.NaN : clamp(value / full);
    }

    /** 1 at 0, 0 at {@code zero} and above. */
    private static double descending(double value, double zero) {
        return Double.isNaN(value) ? Double.NaN : clamp(1 - value / zero);
    }

    private static double clamp(double f) {
        return Double.isNaN(f) ? Double.NaN : Math.max(0, Math.min(1, f));
    }

    /** Values are shown to four decimals: enough for a share, not noise in JSON. */
    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
