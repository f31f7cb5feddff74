package io.earshot.analysis.metrics;

import io.earshot.analysis.listening.ListeningCounts;

/**
 * The additive part of the listening metrics: counts and summed durations, which add up across
 * calls and subtract between two moments of one call. Agent, team and queue windows sum these;
 * rates are derived from the sums only at the end, never averaged, so an analyst holding the
 * counts can re-divide (docs/metrics.md, "Interruptions").
 *
 * <p>A difference of two running totals of one call can be negative: a running classification
 * may be revised by later speech (an overlap counted as an interruption turns out to be a
 * backchannel once the speaker carries on). So can a window's sum when it holds only such a
 * correction; the derived values are then NaN wherever their denominator is not positive.
 *
 * @param callTimeMs                 media time of the call(s) covered
 * @param agentInterruptionOverlapMs summed overlap of the agent's interruptions
 * @param transfers                  customer-to-agent floor transfers (response gaps)
 * @param responseGapSumMs           summed gap of those transfers
 * @param callsEnded                 calls that ended (final summary) in this span
 * @param listening                  the behaviour and tone counts (docs/metrics.md, "Listening score")
 */
public record ListeningTotals(
        long callTimeMs,
        long agentTalkMs,
        long customerTalkMs,
        long overlapMs,
        long silenceMs,
        long agentInterruptions,
        long agentInterruptionOverlapMs,
        long customerInterruptions,
        long agentBackchannels,
        long customerBackchannels,
        long transfers,
        long respectedTransfers,
        long responseGapSumMs,
        long pauseIntrusions,
        long callsEnded,
        ListeningCounts listening) {

    /** Ten minutes, the unit of the interruption rate. */
    public static final long TEN_MINUTES_MS = 600_000;

    public static final ListeningTotals ZERO = new ListeningTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ListeningTotals {
        listening = listening == null ? ListeningCounts.ZERO : listening;
    }

    /** Totals without behaviour and tone counts. */
    public ListeningTotals(long callTimeMs, long agentTalkMs, long customerTalkMs, long overlapMs, long silenceMs,
            long agentInterruptions, long agentInterruptionOverlapMs, long customerInterruptions,
            long agentBackchannels, long customerBackchannels, long transfers, long respectedTransfers,
            long responseGapSumMs, long pauseIntrusions, long callsEnded) {
        this(callTimeMs, agentTalkMs, customerTalkMs, overlapMs, silenceMs, agentInterruptions,
                agentInterruptionOverlapMs, customerInterruptions, agentBackchannels, customerBackchannels, transfers,
                respectedTransfers, responseGapSumMs, pauseIntrusions, callsEnded, ListeningCounts.ZERO);
    }

    /** The totals of one call's metrics and listening counts, counting the call as ended when {@code ended}. */
    public static ListeningTotals of(CallMetrics m, ListeningCounts listening, boolean ended) {
        return of(m, Tally.of(m), listening, ended);
    }

    /**
     * The same, with the sums over the metrics' events already counted ({@code tally}, as
     * {@link Tally#of(CallMetrics)} counts them): a running value of a long call does not count
     * the whole call again.
     */
    public static ListeningTotals of(CallMetrics m, Tally tally, ListeningCounts listening, boolean ended) {
        return new ListeningTotals(m.durationMs(), m.agentTalkMs(), m.customerTalkMs(), m.overlapMs(), m.silenceMs(),
                tally.agentInterruptions(), tally.agentInterruptionOverlapMs(),
                m.interruptions().size() - tally.agentInterruptions(), tally.agentBackchannels(),
                m.backchannels().size() - tally.agentBackchannels(), m.responseGaps().size(), tally.respectedGaps(),
                tally.gapSumMs(), m.pauseIntrusions().size(), ended ? 1 : 0, listening);
    }

    /** The totals of one call's metrics, counting the call as ended when {@code ended}. */
    public static ListeningTotals of(CallMetrics m, boolean ended) {
        return of(m, ListeningCounts.ZERO, ended);
    }

    public ListeningTotals plus(ListeningTotals o) {
        return combine(o, 1);
    }

    public ListeningTotals minus(ListeningTotals o) {
        return combine(o, -1);
    }

    private ListeningTotals combine(ListeningTotals o, long sign) {
        return new ListeningTotals(
                callTimeMs + sign * o.callTimeMs,
                agentTalkMs + sign * o.agentTalkMs,
                customerTalkMs + sign * o.customerTalkMs,
                overlapMs + sign * o.overlapMs,
                silenceMs + sign * o.silenceMs,
                agentInterruptions + sign * o.agentInterruptions,
                agentInterruptionOverlapMs + sign * o.agentInterruptionOverlapMs,
                customerInterruptions + sign * o.customerInterruptions,
                agentBackchannels + sign * o.agentBackchannels,
                customerBackchannels + sign * o.customerBackchannels,
                transfers + sign * o.transfers,
                respectedTransfers + sign * o.respectedTransfers,
                responseGapSumMs + sign * o.responseGapSumMs,
                pauseIntrusions + sign * o.pauseIntrusions,
                callsEnded + sign * o.callsEnded,
                sign > 0 ? listening.plus(o.listening) : listening.minus(o.listening));
    }

    /** {@code agentTalk / (agentTalk + customerTalk)}; NaN without (positive) talk. */
    public double agentTalkShare() {
        long talk = agentTalkMs + customerTalkMs;
        return talk > 0 ? (double) agentTalkMs / talk : Double.NaN;
    }

    /**
     * Agent interruptions per 10 minutes of call time; NaN without (positive) call time. Unlike
     * the per-call value (0 for an empty call), a window without call time has no rate at all.
     */
    public double agentInterruptionsPer10Min() {
        return callTimeMs > 0 ? agentInterruptions * (double) TEN_MINUTES_MS / callTimeMs : Double.NaN;
    }

    /** Respected / all customer-to-agent transfers; NaN without (positive) transfers. */
    public double pauseRespectRate() {
        return transfers > 0 ? (double) respectedTransfers / transfers : Double.NaN;
    }

    /** Mean customer-to-agent response gap; NaN without (positive) transfers. */
    public double meanResponseGapMs() {
        return transfers > 0 ? (double) responseGapSumMs / transfers : Double.NaN;
    }
}
