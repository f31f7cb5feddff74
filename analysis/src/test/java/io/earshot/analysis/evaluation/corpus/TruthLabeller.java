package io.earshot.analysis.evaluation.corpus;

import io.earshot.analysis.evaluation.CallTruth;
import io.earshot.analysis.evaluation.TruthBackchannel;
import io.earshot.analysis.evaluation.TruthEvents;
import io.earshot.analysis.evaluation.TruthInterruption;
import io.earshot.analysis.evaluation.TruthResponseGap;
import io.earshot.analysis.evaluation.TruthSegment;
import io.earshot.analysis.evaluation.corpus.RealizedCall.Intent;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedLine;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedNoise;
import io.earshot.analysis.evaluation.corpus.RealizedCall.RealizedPhrase;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedBackchannel;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedInterruption;
import io.earshot.analysis.evaluation.corpus.RealizedCall.ScriptedTransfer;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The truth of a realized call, read from what the script meant rather than from running the
 * rules: speech is each party's phrases and noises made into talk spurts (gaps under 250 ms
 * bridged, runs under 120 ms dropped); interruptions are the script's interrupting lines (the
 * script knows who barged in and who yielded), backchannels its backchannel lines, and
 * response gaps its customer-to-agent floor transfers, from the end of the customer's line to
 * the start of the agent's.
 */
public final class TruthLabeller {

    static final long SPURT_BRIDGE_MS = MarginCheck.SPURT_BRIDGE_MS;
    static final long MIN_SPURT_MS = MarginCheck.MIN_SPURT_MS;

    private TruthLabeller() {
    }

    public static CallTruth label(RealizedCall call) {
        List<TruthSegment> speech = new ArrayList<>();
        for (Role role : Role.values()) {
            List<Span> sounds = new ArrayList<>();
            for (RealizedLine l : call.lines()) {
                if (l.role() == role) {
                    l.phrases().stream().map(RealizedPhrase::span).forEach(sounds::add);
                }
            }
            for (RealizedNoise n : call.noises()) {
                if (n.role() == role) {
                    sounds.add(n.span());
                }
            }
            for (Span s : Span.merge(sounds, SPURT_BRIDGE_MS)) {
                if (s.length() >= MIN_SPURT_MS) {
                    speech.add(new TruthSegment(role, s.startMs(), s.endMs()));
                }
            }
        }
        speech.sort(Comparator.comparingLong(TruthSegment::startMs).thenComparing(TruthSegment::role));
        List<TruthInterruption> interruptions = new ArrayList<>();
        List<TruthBackchannel> backchannels = new ArrayList<>();
        List<TruthResponseGap> gaps = new ArrayList<>();
        for (Intent intent : call.intents()) {
            if (intent instanceof ScriptedInterruption i) {
                interruptions.add(new TruthInterruption(i.by(), i.of(), i.startMs(), i.successful()));
            } else if (intent instanceof ScriptedBackchannel b) {
                backchannels.add(new TruthBackchannel(b.by(), b.startMs(), b.endMs()));
            } else if (intent instanceof ScriptedTransfer t && t.from() == Role.CUSTOMER && t.to() == Role.AGENT) {
                gaps.add(new TruthResponseGap(t.fromEndMs(), t.toStartMs()));
            }
        }
        return new CallTruth(call.callId(), call.durationMs(), speech,
                new TruthEvents(interruptions, backchannels, gaps));
    }
}
