package io.earshot.analysis.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.SegmentItem;
import io.earshot.analysis.events.SyntheticCalls;
import io.earshot.analysis.events.UtteranceItem;
import io.earshot.analysis.listening.ListeningAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CallValuesMemoTest {

    private static final JobConfig CONFIG = JobConfig.DEFAULTS;
    private static final ListeningAnalysis LISTENING = new ListeningAnalysis(CONFIG.listening());

    /**
     * A call's summaries with one memo carried from each to the next equal summaries computed
     * without one, while the call's events arrive a few at a time and now and then out of order.
     */
    @Test
    void shouldGiveTheSameValuesWithTheMemoAsWithout() {
        sameWithAndWithoutTheMemo(LISTENING);
    }

    /** The same without the listening analysis: the totals come from the sums kept with the turn-taking. */
    @Test
    void shouldGiveTheSameTurnTakingValuesWithTheMemoAsWithout() {
        sameWithAndWithoutTheMemo(null);
    }

    private static void sameWithAndWithoutTheMemo(ListeningAnalysis listening) {
        Random random = new Random(11);
        int replaced = 0;
        int settled = 0;
        int sameNotes = 0; // summaries with the notes of the summary before
        int keptNotes = 0; // ... and the very same note objects

        for (int c = 0; c < 6; c++) {
            List<CallEvent> events = new ArrayList<>(SyntheticCalls.call("memo-" + c, "agent", 0, 3, c));
            for (int i = 0; i + 1 < events.size(); i++) { // some neighbours swap: late arrivals
                if (random.nextInt(4) == 0) {
                    events.set(i, events.set(i + 1, events.get(i)));
                }
            }
            CallValues.Memo memo = new CallValues.Memo();
            List<SegmentItem> segments = new ArrayList<>();
            List<UtteranceItem> utterances = new ArrayList<>();
            int summaries = 0;
            // how many leading items of each list are the ones the memo was given last
            int sameSegments = 0;
            int sameUtterances = 0;
            CallValues before = null;
            for (int i = 0; i < events.size(); i++) {
                CallEvent e = events.get(i);
                switch (e.kind) {
                    case SEGMENT -> segments.add(SegmentItem.of(e));
                    case UTTERANCE -> utterances.add(new UtteranceItem(e.role, e.startMs, e.endMs, e.text, e.words));
                    default -> { }
                }
                if (!utterances.isEmpty() && random.nextInt(25) == 0) { // one given again, with its last word dropped
                    int at = random.nextInt(utterances.size());
                    UtteranceItem u = utterances.get(at);
                    utterances.set(at, new UtteranceItem(u.role(), u.startMs(), u.endMs(), u.text(),
                            u.words().subList(0, Math.max(0, u.words().size() - 1))));
                    sameUtterances = Math.min(sameUtterances, at);
                    replaced++;
                }
                boolean isFinal = i == events.size() - 1;
                if (isFinal || random.nextInt(3) == 0) {
                    CallValues with = CallValues.of(segments, sameSegments, utterances, sameUtterances, null, CONFIG,
                            listening, isFinal, memo);
                    sameSegments = segments.size();
                    sameUtterances = utterances.size();
                    CallValues without = CallValues.of(new ArrayList<>(segments), new ArrayList<>(utterances), null,
                            CONFIG, listening, isFinal);
                    assertThat(with).as("call %d after %d events", c, i + 1).isEqualTo(without);
                    assertThat(memo.utterances()).isEqualTo(listening == null ? 0 : utterances.size());
                    settled += memo.settledUntilMs() > 60_000 ? 1 : 0;
                    if (listening != null && before != null && !with.listening().coaching().isEmpty()
                            && with.listening().coaching().equals(before.listening().coaching())) {
                        sameNotes++;
                        boolean kept = true;
                        for (int n = 0; n < with.listening().coaching().size(); n++) {
                            kept &= with.listening().coaching().get(n) == before.listening().coaching().get(n);
                        }
                        keptNotes += kept ? 1 : 0;
                    }
                    before = with;
                    summaries++;
                }
            }
            assertThat(summaries).isGreaterThan(10);
        }
        assertThat(settled).as("summaries whose turn-taking kept a settled minute").isGreaterThan(20);
        assertThat(replaced).as("utterances given again").isGreaterThan(10);
        if (listening != null) {
            // a note made from what made the last summary's is that note, not written again
            assertThat(sameNotes).as("summaries with the notes of the one before").isGreaterThan(20);
            assertThat(keptNotes).as("of them, with the same note objects").isGreaterThan(sameNotes / 2);
        }
    }
}
