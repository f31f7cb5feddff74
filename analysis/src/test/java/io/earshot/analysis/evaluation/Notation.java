package io.earshot.analysis.evaluation;

import io.earshot.analysis.metrics.CallMetrics;
import io.earshot.analysis.metrics.ConversationEvents.Backchannel;
import io.earshot.analysis.metrics.ConversationEvents.Interruption;
import io.earshot.analysis.metrics.ConversationEvents.ResponseGap;
import io.earshot.analysis.metrics.MetricsConfig;
import io.earshot.analysis.metrics.Spurt;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * The short notation the evaluation tests write their tables in, blank-separated:
 * <ul>
 * <li>spans {@code A0-1000 C500-1500} (role letter, start, end in ms);</li>
 * <li>interruptions {@code A>C@5000+} (by, of, onset; {@code +} took the floor, {@code -} did not);</li>
 * <li>response gaps {@code 6440>5260} (customer end, agent start).</li>
 * </ul>
 */
final class Notation {

    private Notation() {
    }

    static Role role(char letter) {
        return switch (letter) {
            case 'A' -> Role.AGENT;
            case 'C' -> Role.CUSTOMER;
            default -> throw new IllegalArgumentException("role letter " + letter);
        };
    }

    private static List<String> items(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static long[] span(String item) {
        String[] p = item.substring(1).split("-");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    static List<TruthSegment> segments(String text) {
        return items(text).stream().map(s -> new TruthSegment(role(s.charAt(0)), span(s)[0], span(s)[1])).toList();
    }

    static List<Spurt> spurts(String text) {
        return items(text).stream().map(s -> new Spurt(role(s.charAt(0)), span(s)[0], span(s)[1])).toList();
    }

    static List<TruthBackchannel> truthBackchannels(String text) {
        return items(text).stream().map(s -> new TruthBackchannel(role(s.charAt(0)), span(s)[0], span(s)[1])).toList();
    }

    static List<Backchannel> backchannels(String text) {
        return items(text).stream().map(s -> new Backchannel(role(s.charAt(0)), span(s)[0], span(s)[1], "")).toList();
    }

    static List<TruthInterruption> truthInterruptions(String text) {
        return items(text).stream().map(s -> new TruthInterruption(role(s.charAt(0)), role(s.charAt(2)), onset(s),
                s.endsWith("+"))).toList();
    }

    static List<Interruption> interruptions(String text) {
        return items(text).stream().map(s -> interruption(role(s.charAt(0)), role(s.charAt(2)), onset(s), s.endsWith("+")))
                .toList();
    }

    static Interruption interruption(Role by, Role of, long startMs, boolean successful) {
        return new Interruption(by, of, startMs, 1000, successful, "", "");
    }

    private static long onset(String item) {
        return Long.parseLong(item.substring(4, item.length() - 1));
    }

    static List<TruthResponseGap> truthGaps(String text) {
        return items(text).stream().map(s -> s.split(">"))
                .map(p -> new TruthResponseGap(Long.parseLong(p[0]), Long.parseLong(p[1]))).toList();
    }

    static List<ResponseGap> gaps(String text) {
        return items(text).stream().map(s -> s.split(">")).map(p -> {
            long customerEnd = Long.parseLong(p[0]);
            long agentStart = Long.parseLong(p[1]);
            return new ResponseGap(customerEnd, agentStart, agentStart - customerEnd, agentStart - customerEnd >= 300);
        }).toList();
    }

    /** What the metric job reports, reduced to what the scorer reads. */
    static CallMetrics metrics(long durationMs, long agentTalkMs, long customerTalkMs, long overlapMs,
            List<Interruption> interruptions, List<Backchannel> backchannels, List<ResponseGap> gaps) {
        return new CallMetrics(durationMs, agentTalkMs, customerTalkMs, overlapMs, 0, Double.NaN, interruptions,
                backchannels, gaps, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), Double.NaN, Double.NaN, 0, 0, 0,
                MetricsConfig.DEFAULTS);
    }

    /** Metrics with talk time and overlap only. */
    static CallMetrics metrics(long durationMs, long agentTalkMs, long customerTalkMs, long overlapMs) {
        return metrics(durationMs, agentTalkMs, customerTalkMs, overlapMs, List.of(), List.of(), List.of());
    }
}
