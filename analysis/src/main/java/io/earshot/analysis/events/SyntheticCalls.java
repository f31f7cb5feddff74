package io.earshot.analysis.events;

import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic two-party calls of a given length, for benchmarks: alternating turns of one to
 * four spurts, now and then an overlap at a turn change or a short backchannel of the listener,
 * each turn transcribed as one utterance with evenly spaced words. The same seed gives the same
 * events, so runs compare. Not a model of real conversation (the labelled corpus in the jobs
 * tests is); only its volume and shape (about 40 events a minute) matter here.
 */
public final class SyntheticCalls {

    private static final String[] WORDS = {"the", "meter", "reading", "account", "bill", "okay", "yes", "so",
        "payment", "last", "month", "we", "can", "check", "that", "for", "you", "right", "thanks", "number"};

    private SyntheticCalls() {
    }

    /** One call of {@code minutes} starting at {@code mediaStart}, its events sorted by event time. */
    public static List<CallEvent> call(String callId, String agentId, long mediaStart, int minutes, long seed) {
        Random random = new Random(seed);
        long length = minutes * 60_000L;
        List<CallEvent> events = new ArrayList<>();
        events.add(CallEvent.started(callId, agentId, "team-" + Math.floorMod(agentId.hashCode(), 3), "queue", mediaStart));
        Role speaker = Role.AGENT;
        long t = 500;
        while (t < length - 8_000) {
            long turnStart = t;
            List<WordItem> words = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int spurts = 1 + random.nextInt(4);
            for (int i = 0; i < spurts; i++) {
                long end = t + 600 + random.nextInt(2_400);
                events.add(CallEvent.segment(callId, mediaStart, speaker, t, end, 120 + random.nextInt(80),
                        2 + random.nextInt(6), -30 + random.nextInt(12)));
                for (long w = t; w + 250 <= end; w += 300) {
                    String word = WORDS[random.nextInt(WORDS.length)];
                    words.add(new WordItem(word, w, w + 250, 0.9));
                    text.append(text.isEmpty() ? "" : " ").append(word);
                }
                if (random.nextInt(5) == 0 && end - t > 1_500) { // the listener backchannels
                    Role other = speaker == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
                    long at = t + 700;
                    events.add(CallEvent.segment(callId, mediaStart, other, at, at + 350, 150, 2, -32));
                    events.add(CallEvent.utterance(callId, mediaStart, other, at, at + 350, "mm-hmm",
                            List.of(new WordItem("mm-hmm", at, at + 350, 0.9))));
                }
                t = end + 150 + random.nextInt(500);
            }
            if (!words.isEmpty()) {
                events.add(CallEvent.utterance(callId, mediaStart, speaker, turnStart, words.get(words.size() - 1).endMs(),
                        text.toString(), words));
            }
            speaker = speaker == Role.AGENT ? Role.CUSTOMER : Role.AGENT;
            t += random.nextInt(8) == 0 ? -400 - random.nextInt(600) : random.nextInt(1_200); // overlap or gap
            t = Math.max(t, turnStart + 1);
        }
        events.add(CallEvent.ended(callId, mediaStart, length, "hangup"));
        events.sort(Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }

    /**
     * {@code count} calls of {@code minutes} each, started {@code spacingMs} apart, for three
     * agents, their events merged in event-time order.
     */
    public static List<CallEvent> calls(int count, int minutes, long mediaStart, long spacingMs, long seed) {
        List<CallEvent> events = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            events.addAll(call("synthetic-" + minutes + "m-" + c, "agent-" + (c % 3), mediaStart + c * spacingMs,
                    minutes, seed * 1_000 + c));
        }
        events.sort(Comparator.comparingLong(e -> e.eventTimeMs));
        return events;
    }
}
