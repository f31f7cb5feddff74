package io.earshot.analysis.listening;

import io.earshot.analysis.events.UtteranceItem;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's cost per utterance, measured over the truth table's utterances as one long
 * call (agent and customer alternating, each with its context turn). Not a test: run
 * {@code main} by hand; it prints nanoseconds per utterance after a warm-up.
 */
public final class BehaviourDetectorBench {

    private BehaviourDetectorBench() {
    }

    public static void main(String[] args) throws IOException {
        List<UtteranceItem> call = new ArrayList<>();
        long t = 0;
        try (InputStream in = BehaviourDetectorBench.class.getResourceAsStream("/listening/behaviour-cases.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String[] f = line.split("\t");
                if (line.startsWith("#") || f.length < 3) {
                    continue;
                }
                if (f.length > 3) {
                    UtteranceItem c = Speech.say(Role.CUSTOMER, t, f[3]);
                    call.add(c);
                    t = c.endMs() + 500;
                }
                UtteranceItem u = Speech.say(Role.valueOf(f[0]), t, f[1]);
                call.add(u);
                t = u.endMs() + 500;
            }
        }
        BehaviourDetector detector = new BehaviourDetector(PhraseBook.builtIn("en"));
        long built = System.nanoTime();
        PhraseBook.builtIn("en");
        long buildNs = System.nanoTime() - built;
        int hits = 0;
        for (int i = 0; i < 2_000; i++) {
            hits += detector.detect(call).size();
        }
        int rounds = 5_000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            hits += detector.detect(call).size();
        }
        long ns = System.nanoTime() - start;
        System.out.printf("%d utterances (%d hits per pass): %.2f us per utterance; phrase book built in %.1f ms%n",
                call.size(), hits / (rounds + 2_000), ns / 1000.0 / rounds / call.size(), buildNs / 1e6);
    }
}
