package io.earshot.analysis.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earshot.analysis.evaluation.CallScore.BackchannelScore;
import io.earshot.analysis.evaluation.CallScore.InterruptionScore;
import io.earshot.analysis.evaluation.CallScore.Matching;
import io.earshot.analysis.evaluation.CallScore.ResponseGapScore;
import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.schemas.Role;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scores written for people (a block per call, then the totals) and for programs (one JSON
 * object: {@code tolerances}, {@code calls}, {@code totals}). Ratios are fractions (0.5 is
 * half); a figure that was not measured, or is infinite, is {@code -} in the table and
 * {@code null} in JSON.
 */
public final class EvaluationReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvaluationReport() {
    }

    // ---------------------------------------------------------------- table

    /** A block per call (figures, then the missed and spurious events with their times) and the totals. */
    public static String table(List<CallScore> calls) {
        StringBuilder b = new StringBuilder();
        for (CallScore c : calls) {
            b.append(String.format(Locale.ROOT, "call %s  %.1f s%n", c.callId(), c.durationMs() / 1000.0));
            b.append(vadLine(c.agent().voiceFrames(), c.customer().voiceFrames()));
            b.append(String.format(Locale.ROOT, "  talk time       agent %.1f s vs %.1f s true (error %s), customer %.1f s vs %.1f s true (error %s)%n",
                    c.agent().detectedTalkMs() / 1000.0, c.agent().truthTalkMs() / 1000.0, pct(c.agent().talkTimeErrorRatio()),
                    c.customer().detectedTalkMs() / 1000.0, c.customer().truthTalkMs() / 1000.0,
                    pct(c.customer().talkTimeErrorRatio())));
            b.append(String.format(Locale.ROOT, "  overlap         %.2f s vs %.2f s true (error %.2f s)%n",
                    c.detectedOverlapMs() / 1000.0, c.truthOverlapMs() / 1000.0, c.overlapErrorMs() / 1000.0));
            List<String> details = new ArrayList<>();
            List<String> unlabelled = new ArrayList<>();
            if (c.interruptions() == null) {
                unlabelled.add("interruptions");
            } else {
                InterruptionScore s = c.interruptions();
                b.append(interruptionLine(s.counts(), s.successDisagreements()));
                s.missed().forEach(i -> details.add(String.format("    missed    %s interruption %s of %s (%s)%n",
                        clock(i.startMs()), i.by(), i.of(), outcome(i.successful()))));
                s.spurious().forEach(i -> details.add(String.format("    spurious  %s interruption %s of %s (%s)%n",
                        clock(i.startMs()), i.by(), i.of(), outcome(i.successful()))));
            }
            if (c.backchannels() == null) {
                unlabelled.add("backchannels");
            } else {
                BackchannelScore s = c.backchannels();
                b.append(backchannelLine(s.counts(), s.reportedAsInterruptions().size()));
                s.missed().forEach(x -> details.add(String.format(Locale.ROOT, "    missed    %s backchannel %s, %.2f s%n",
                        clock(x.startMs()), x.by(), (x.endMs() - x.startMs()) / 1000.0)));
                s.spurious().forEach(x -> details.add(String.format(Locale.ROOT, "    spurious  %s backchannel %s, %.2f s%n",
                        clock(x.startMs()), x.by(), (x.endMs() - x.startMs()) / 1000.0)));
                s.reportedAsInterruptions().forEach(i -> details.add(String.format(
                        "    backchannel reported as interruption  %s %s of %s%n", clock(i.startMs()), i.by(), i.of())));
            }
            if (c.responseGaps() == null) {
                unlabelled.add("response gaps");
            } else {
                ResponseGapScore s = c.responseGaps();
                b.append(gapLine(s.counts(), s.meanAbsErrorMs()));
                s.missed().forEach(g -> details.add(String.format("    missed    %s response gap %d ms (customer ended %s)%n",
                        clock(g.agentStartMs()), g.gapMs(), clock(g.customerEndMs()))));
                s.spurious().forEach(g -> details.add(String.format("    spurious  %s response gap %d ms (customer ended %s)%n",
                        clock(g.agentStartMs()), g.gapMs(), clock(g.customerEndMs()))));
            }
            if (!unlabelled.isEmpty()) {
                b.append("  not labelled    ").append(String.join(", ", unlabelled)).append(System.lineSeparator());
            }
            details.forEach(b::append);
            b.append(System.lineSeparator());
        }
        EvaluationTotals t = EvaluationTotals.of(calls);
        long durationMs = calls.stream().mapToLong(CallScore::durationMs).sum();
        b.append(String.format(Locale.ROOT, "total  %d call%s  %.1f s%n", calls.size(), calls.size() == 1 ? "" : "s",
                durationMs / 1000.0));
        b.append(vadLine(t.voiceFrames(Role.AGENT), t.voiceFrames(Role.CUSTOMER)));
        b.append(String.format(Locale.ROOT, "  talk time       error agent %s (worst call %s), customer %s (worst call %s)%n",
                pct(t.talkTimeErrorRatio(Role.AGENT)), pct(t.worstCallTalkTimeErrorRatio(Role.AGENT)),
                pct(t.talkTimeErrorRatio(Role.CUSTOMER)), pct(t.worstCallTalkTimeErrorRatio(Role.CUSTOMER))));
        b.append(String.format(Locale.ROOT, "  overlap         error %s s over the calls (%.2f s true)%n",
                num(t.overlapErrorMs() / 1000.0, 2), t.truthOverlapMs() / 1000.0));
        b.append(t.interruptions() == null ? "  interruptions   not labelled" + System.lineSeparator()
                : interruptionLine(t.interruptions(), t.interruptionSuccessDisagreements()));
        b.append(t.backchannels() == null ? "  backchannels    not labelled" + System.lineSeparator()
                : backchannelLine(t.backchannels(), t.backchannelsAsInterruptions()));
        b.append(t.responseGaps() == null ? "  response gaps   not labelled" + System.lineSeparator()
                : gapLine(t.responseGaps(), t.meanAbsResponseGapErrorMs()));
        return b.toString();
    }

    private static String vadLine(Matching agent, Matching customer) {
        return String.format(Locale.ROOT,
                "  voice activity  F1 agent %s, customer %s (precision %s and %s, recall %s and %s)%n",
                figure(agent, Matching::f1), figure(customer, Matching::f1), figure(agent, Matching::precision),
                figure(customer, Matching::precision), figure(agent, Matching::recall), figure(customer, Matching::recall));
    }

    private static String figure(Matching m, java.util.function.ToDoubleFunction<Matching> ratio) {
        return m == null ? "-" : num(ratio.applyAsDouble(m), 3);
    }

    private static String interruptionLine(Matching m, long disagreements) {
        return String.format(Locale.ROOT,
                "  interruptions   precision %s, recall %s, F1 %s (%d of %d found, %d spurious; outcome differs in %d)%n",
                num(m.precision(), 2), num(m.recall(), 2), num(m.f1(), 2), m.matched(), m.truth(), m.spurious(), disagreements);
    }

    private static String backchannelLine(Matching m, long asInterruptions) {
        return String.format(Locale.ROOT,
                "  backchannels    precision %s, recall %s (%d of %d found, %d spurious); reported as interruptions %d%n",
                num(m.precision(), 2), num(m.recall(), 2), m.matched(), m.truth(), m.spurious(), asInterruptions);
    }

    private static String gapLine(Matching m, double meanAbsErrorMs) {
        return String.format(Locale.ROOT,
                "  response gaps   %d of %d found, %d missed, %d spurious; mean absolute error %s ms%n",
                m.matched(), m.truth(), m.missed(), m.spurious(), num(meanAbsErrorMs, 0));
    }

    private static String outcome(boolean successful) {
        return successful ? "took the floor" : "did not take the floor";
    }

    /** {@code m:ss.cc} from the call's start. */
    private static String clock(long ms) {
        return String.format(Locale.ROOT, "%d:%02d.%02d", ms / 60000, (ms / 1000) % 60, (ms % 1000) / 10);
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
    }

    // ---------------------------------------------------------------- JSON

    /** The whole report as one JSON document. */
    public static String json(List<CallScore> calls, Scorer.Tolerances tolerances) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(calls, tolerances)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code tolerances}; {@code calls}, each with {@code callId}, {@code durationMs},
     * {@code voiceActivity} and {@code talkTime} per role, {@code overlap}, and
     * {@code interruptions}, {@code backchannels}, {@code responseGaps} ({@code null} when not
     * labelled) with their counts, ratios and the missed and spurious events; {@code totals}
     * with the same figures over all calls.
     */
    public static ObjectNode tree(List<CallScore> calls, Scorer.Tolerances tolerances) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode tol = root.putObject("tolerances");
        tol.put("gridMs", tolerances.gridMs());
        tol.put("interruptionOnsetMs", tolerances.interruptionOnsetMs());
        tol.put("backchannelAsInterruptionMs", tolerances.backchannelAsInterruptionMs());
        tol.put("responseGapAgentStartMs", tolerances.responseGapAgentStartMs());
        ArrayNode list = root.putArray("calls");
        for (CallScore c : calls) {
            list.add(call(c));
        }
        root.set("totals", totals(EvaluationTotals.of(calls)));
        return root;
    }

    private static ObjectNode call(CallScore c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("callId", c.callId());
        n.put("durationMs", c.durationMs());
        ObjectNode vad = n.putObject("voiceActivity");
        ObjectNode talk = n.putObject("talkTime");
        for (Role role : Role.values()) {
            CallScore.RoleScore r = c.role(role);
            matching(vad.putObject(role.name()), r.voiceFrames(), true);
            ObjectNode t = talk.putObject(role.name());
            t.put("truthMs", r.truthTalkMs());
            t.put("detectedMs", r.detectedTalkMs());
            number(t, "errorRatio", r.talkTimeErrorRatio());
        }
        ObjectNode overlap = n.putObject("overlap");
        overlap.put("truthMs", c.truthOverlapMs());
        overlap.put("detectedMs", c.detectedOverlapMs());
        overlap.put("errorMs", c.overlapErrorMs());
        if (c.interruptions() == null) {
            n.putNull("interruptions");
        } else {
            ObjectNode i = matching(n.putObject("interruptions"), c.interruptions().counts(), true);
            i.put("successDisagreements", c.interruptions().successDisagreements());
            ArrayNode missed = i.putArray("missed");
            c.interruptions().missed().forEach(x -> missed.addObject().put("by", x.by().name()).put("of", x.of().name())
                    .put("startMs", x.startMs()).put("successful", x.successful()));
            ArrayNode spurious = i.putArray("spurious");
            c.interruptions().spurious().forEach(x -> interruption(spurious.addObject(), x));
        }
        if (c.backchannels() == null) {
            n.putNull("backchannels");
        } else {
            ObjectNode b = matching(n.putObject("backchannels"), c.backchannels().counts(), false);
            b.put("reportedAsInterruptions", c.backchannels().reportedAsInterruptions().size());
            ArrayNode missed = b.putArray("missed");
            c.backchannels().missed().forEach(x -> missed.addObject().put("by", x.by().name())
                    .put("startMs", x.startMs()).put("endMs", x.endMs()));
            ArrayNode spurious = b.putArray("spurious");
            c.backchannels().spurious().forEach((Backchannel x) -> spurious.addObject().put("by", x.by().name())
                    .put("startMs", x.startMs()).put("endMs", x.endMs()).put("text", x.text()));
            ArrayNode on = b.putArray("interruptionsOnBackchannels");
            c.backchannels().reportedAsInterruptions().forEach(x -> interruption(on.addObject(), x));
        }
        if (c.responseGaps() == null) {
            n.putNull("responseGaps");
        } else {
            ObjectNode g = gaps(n.putObject("responseGaps"), c.responseGaps().counts(), c.responseGaps().meanAbsErrorMs());
            ArrayNode missed = g.putArray("missed");
            c.responseGaps().missed().forEach(x -> missed.addObject().put("customerEndMs", x.customerEndMs())
                    .put("agentStartMs", x.agentStartMs()).put("gapMs", x.gapMs()));
            ArrayNode spurious = g.putArray("spurious");
            c.responseGaps().spurious().forEach((ResponseGap x) -> spurious.addObject().put("customerEndMs", x.customerEndMs())
                    .put("agentStartMs", x.agentStartMs()).put("gapMs", x.gapMs()));
        }
        return n;
    }

    private static ObjectNode totals(EvaluationTotals t) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("calls", t.calls().size());
        ObjectNode vad = n.putObject("voiceActivity");
        ObjectNode talk = n.putObject("talkTime");
        for (Role role : Role.values()) {
            Matching frames = t.voiceFrames(role);
            if (frames == null) {
                vad.putNull(role.name());
            } else {
                matching(vad.putObject(role.name()), frames, true);
            }
            ObjectNode r = talk.putObject(role.name());
            r.put("truthMs", t.truthTalkMs(role));
            r.put("detectedMs", t.detectedTalkMs(role));
            number(r, "errorRatio", t.talkTimeErrorRatio(role));
            number(r, "worstCallErrorRatio", t.worstCallTalkTimeErrorRatio(role));
        }
        ObjectNode overlap = n.putObject("overlap");
        overlap.put("truthMs", t.truthOverlapMs());
        number(overlap, "errorMs", t.overlapErrorMs());
        if (t.interruptions() == null) {
            n.putNull("interruptions");
        } else {
            matching(n.putObject("interruptions"), t.interruptions(), true)
                    .put("successDisagreements", t.interruptionSuccessDisagreements());
        }
        if (t.backchannels() == null) {
            n.putNull("backchannels");
        } else {
            matching(n.putObject("backchannels"), t.backchannels(), false)
                    .put("reportedAsInterruptions", t.backchannelsAsInterruptions());
        }
        if (t.responseGaps() == null) {
            n.putNull("responseGaps");
        } else {
            gaps(n.putObject("responseGaps"), t.responseGaps(), t.meanAbsResponseGapErrorMs());
        }
        return n;
    }

    private static ObjectNode matching(ObjectNode n, Matching m, boolean withF1) {
        number(n, "precision", m.precision());
        number(n, "recall", m.recall());
        if (withF1) {
            number(n, "f1", m.f1());
        }
        n.put("matched", m.matched());
        n.put("detected", m.detected());
        n.put("truth", m.truth());
        return n;
    }

    private static ObjectNode gaps(ObjectNode n, Matching m, double meanAbsErrorMs) {
        n.put("matched", m.matched());
        n.put("missed", m.missed());
        n.put("spurious", m.spurious());
        number(n, "meanAbsErrorMs", meanAbsErrorMs);
        return n;
    }

    private static void interruption(ObjectNode n, Interruption i) {
        n.put("by", i.by().name()).put("of", i.of().name()).put("startMs", i.startMs()).put("successful", i.successful());
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) {
            n.put(field, Math.round(v * 10000) / 10000.0);
        } else {
            n.putNull(field);
        }
    }
}
