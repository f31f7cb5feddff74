package io.earshot.ingest.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.asr.Utterance;
import io.earshot.ingest.asr.Word;
import io.earshot.schemas.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The redactor on many calls' worth of generated speech with exact truth: random Luhn-valid
 * and invalid card numbers of 13-19 digits in every grouping, phone numbers, e-mail addresses
 * and social security numbers, said in sentences, across utterances, with "oh", "double" and
 * hesitations; and near misses (counts, times, amounts, years, room numbers) that must stay.
 * Word-level precision and recall are computed over the whole set, and each entity's type.
 */
class RedactorGeneratedTest {

    private static final String ANY = "*";
    private static final String[] UNIT = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine"};
    private static final String[] PREFIX = {"my card number is", "sure it is", "okay so the number is", "it's",
            "yes", "the long number on the front is", ""};
    private static final String[] SUFFIX = {"and the expiry is next year", "thank you", "did you get that",
            "", "is that right"};

    /** One generated word with what the redactor must make of it: null keep, ANY some placeholder, or one. */
    private record Token(String word, String expected) {
    }

    /** A speaker's utterances; each an ordered list of tokens. */
    private record Case(String kind, List<List<Token>> utterances, String mustContain) {
        Case(String kind, List<List<Token>> utterances) {
            this(kind, utterances, null);
        }
    }

    private final Random random = new Random(20261204L);
    private final Redactor redactor = Redactor.defaults();

    @Test
    void shouldRedactGeneratedEntitiesAndKeepNearMisses() {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            cases.add(card(true));
            cases.add(card(false));
            cases.add(phone());
            cases.add(email());
            cases.add(ssn());
            cases.add(nearMiss());
        }
        for (int i = 0; i < 150; i++) {
            cases.add(cardAcrossUtterances());
            cases.add(cardInLongerRun());
        }

        long truePositive = 0;
        long falsePositive = 0;
        long falseNegative = 0;
        long wrongType = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            List<Utterance> in = new ArrayList<>();
            long t = 1_000;
            for (List<Token> u : c.utterances()) {
                List<Word> words = new ArrayList<>();
                for (Token tok : u) {
                    words.add(new Word(tok.word(), t, t + 280, 0.9));
                    t += 300;
                }
                in.add(new Utterance(Role.CUSTOMER, words.get(0).startMs(), words.get(words.size() - 1).endMs(),
                        String.join(" ", u.stream().map(Token::word).toList()), words, true));
                t += 1_500;
            }
            List<Utterance> out = redactor.redactInOrder(in);
            if (c.mustContain() != null
                    && out.stream().noneMatch(u -> u.words().stream().anyMatch(w -> w.word().equals(c.mustContain())))) {
                failures.add(c.kind() + " without " + c.mustContain() + ": " + out);
            }
            for (int k = 0; k < in.size(); k++) {
                Utterance before = in.get(k);
                Utterance after = out.get(k);
                assertThat(after.words()).hasSameSizeAs(before.words());
                assertThat(after.text()).isEqualTo(String.join(" ", after.words().stream().map(Word::word).toList()));
                for (int j = 0; j < before.words().size(); j++) {
                    Word b = before.words().get(j);
                    Word a = after.words().get(j);
                    assertThat(List.of(a.startMs(), a.endMs())).isEqualTo(List.of(b.startMs(), b.endMs()));
                    String expected = c.utterances().get(k).get(j).expected();
                    boolean redacted = a.word().startsWith("[");
                    if (expected == null && redacted) {
                        falsePositive++;
                        failures.add(c.kind() + " kept word redacted: " + before.text() + " -> " + after.text());
                    } else if (expected != null && !redacted) {
                        falseNegative++;
                        failures.add(c.kind() + " missed: " + before.text() + " -> " + after.text());
                    } else if (expected != null) {
                        truePositive++;
                        if (!expected.equals(ANY) && !expected.equals(a.word())) {
                            wrongType++;
                            failures.add(c.kind() + " as " + a.word() + ": " + before.text() + " -> " + after.text());
                        }
                    }
                }
            }
        }
        double precision = truePositive / (double) (truePositive + falsePositive);
        double recall = truePositive / (double) (truePositive + falseNegative);
        assertThat(failures)
                .as("%d cases, %d redacted words; precision %.4f, recall %.4f, wrong type %d",
                        cases.size(), truePositive, precision, recall, wrongType)
                .isEmpty();
        assertThat(truePositive).isGreaterThan(20_000);
    }

    // --- cards

    private Case card(boolean valid) {
        int n = 13 + random.nextInt(7);
        String digits = cardDigits(n, valid);
        List<Token> u = new ArrayList<>(words(pick(PREFIX), null));
        u.addAll(spoken(digits, groups(n), valid ? Redactor.CARD : ANY, true));
        u.addAll(words(pick(SUFFIX), null));
        return new Case(valid ? "card" : "invalid card", List.of(u));
    }

    private Case cardAcrossUtterances() {
        String digits = cardDigits(16, true);
        List<List<Token>> us = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            List<Token> u = new ArrayList<>();
            if (g == 0) {
                u.addAll(words("the card number is", null));
            }
            u.addAll(spoken(digits.substring(4 * g, 4 * g + 4), List.of(4), ANY, false));
            us.add(u);
        }
        return new Case("card across utterances", us);
    }

    private Case cardInLongerRun() {
        String digits = cardDigits(16, true);
        String extra = String.valueOf(1 + random.nextInt(9)) + random.nextInt(10);
        List<Token> u = new ArrayList<>(words("it is", null));
        // which 13-19 digit stretch of the run is the card is ambiguous: all of it must go, as a card
        u.addAll(spoken(digits, List.of(4, 4, 4, 4), ANY, false));
        u.addAll(spoken(extra, List.of(2), ANY, false));
        u.addAll(words("okay", null));
        return new Case("card in longer run", List.of(u), Redactor.CARD);
    }

    private String cardDigits(int n, boolean valid) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            sb.append(1 + random.nextInt(9));
            while (sb.length() < n - 1) {
                sb.append(random.nextInt(10));
            }
            for (int check = 0; check < 10; check++) {
                String candidate = sb.toString() + check;
                if (Luhn.valid(candidate) == valid) {
                    return candidate;
                }
            }
        }
    }

    private List<Integer> groups(int n) {
        return switch (random.nextInt(4)) {
            case 0 -> fixed(n, 4);
            case 1 -> n == 15 ? List.of(4, 6, 5) : fixed(n, 4);
            case 2 -> fixed(n, 1);
            default -> fixed(n, 3);
        };
    }

    private static List<Integer> fixed(int n, int size) {
        List<Integer> g = new ArrayList<>();
        for (int left = n; left > 0; left -= size) {
            g.add(Math.min(size, left));
        }
        return g;
    }

    /**
     * Digits said group by group: digit words, "oh" for some zeros, "double"/"triple" for
     * repeats within a group, sometimes numerals or a hesitation between groups.
     */
    private List<Token> spoken(String digits, List<Integer> groups, String label, boolean hesitate) {
        List<Token> out = new ArrayList<>();
        int at = 0;
        for (int g = 0; g < groups.size(); g++) {
            String group = digits.substring(at, at + groups.get(g));
            at += groups.get(g);
            if (g > 0 && hesitate && random.nextInt(8) == 0) {
                out.add(new Token("uh", label));
            }
            if (random.nextInt(10) == 0) {
                out.add(new Token(group, label));
                continue;
            }
            int i = 0;
            while (i < group.length()) {
                char d = group.charAt(i);
                int same = 1;
                while (i + same < group.length() && group.charAt(i + same) == d && same < 3) {
                    same++;
                }
                if (same >= 2 && random.nextBoolean()) {
                    out.add(new Token(same == 3 ? "triple" : "double", label));
                    out.add(new Token(UNIT[d - '0'], label));
                    i += same;
                    continue;
                }
                out.add(new Token(d == '0' && random.nextBoolean() ? "oh" : UNIT[d - '0'], label));
                i++;
            }
        }
        return out;
    }

    // --- phones

    private Case phone() {
        List<Token> u = new ArrayList<>(words(pick(new String[] {"you can call me on", "my number is",
                "the best number is", "call back on"}), null));
        switch (random.nextInt(4)) {
            case 0 -> u.addAll(spoken(areaNumber(10), List.of(3, 3, 4), Redactor.PHONE, false));
            case 1 -> u.addAll(spoken("1" + areaNumber(10), List.of(1, 3, 3, 4), Redactor.PHONE, false));
            case 2 -> {
                u.add(new Token("plus", Redactor.PHONE));
                u.addAll(spoken("44" + areaNumber(10), List.of(2, 4, 6), Redactor.PHONE, false));
            }
            default -> {
                u.addAll(words("one eight hundred", Redactor.PHONE));
                u.addAll(spoken(areaNumber(7), List.of(3, 4), Redactor.PHONE, false));
            }
        }
        u.addAll(words(pick(new String[] {"thanks", "any time after five", "", "that's my mobile"}), null));
        return new Case("phone", List.of(u));
    }

    private String areaNumber(int n) {
        StringBuilder sb = new StringBuilder().append(2 + random.nextInt(8));
        while (sb.length() < n) {
            sb.append(random.nextInt(10));
        }
        return sb.toString();
    }

    // --- e-mail

    private static final String[] NAMES = {"john", "mary", "smith", "priya", "lee", "garcia", "anna", "kim"};
    private static final String[] DOMAINS = {"example", "gmail", "outlook", "northwind", "yahoo", "company"};
    private static final String[] TLDS = {"com", "net", "org", "co dot uk", "io"};

    private Case email() {
        List<Token> u = new ArrayList<>(words(pick(new String[] {"my email is", "send it to", "it's",
                "the address is", "yes it's"}), null));
        if (random.nextInt(4) == 0) {
            u.add(new Token(pick(NAMES) + "." + pick(NAMES) + "@" + pick(DOMAINS) + ".com", Redactor.EMAIL));
        } else {
            String local = pick(NAMES) + (random.nextBoolean() ? " dot " + pick(NAMES)
                    : random.nextBoolean() ? " underscore " + pick(NAMES) : "");
            String at = random.nextInt(4) == 0 ? pick(new String[] {"out", "of", "that"}) : "at";
            u.addAll(words(local + " " + at + " " + pick(DOMAINS) + " dot " + pick(TLDS), Redactor.EMAIL));
        }
        u.addAll(words(pick(new String[] {"thank you", "", "all lower case"}), null));
        return new Case("email", List.of(u));
    }

    // --- national id

    private Case ssn() {
        String area;
        do {
            area = String.format("%03d", 1 + random.nextInt(899));
        } while (area.equals("666"));
        String digits = area + String.format("%02d", 1 + random.nextInt(99))
                + String.format("%04d", 1 + random.nextInt(9999));
        List<Token> u = new ArrayList<>(words(pick(new String[] {"my social security number is", "it is",
                "the ssn is", "sure"}), null));
        u.addAll(spoken(digits, random.nextBoolean() ? List.of(3, 2, 4) : fixed(9, 1), Redactor.ID, false));
        u.addAll(words(pick(new String[] {"thanks", "", "did you need anything else"}), null));
        return new Case("ssn", List.of(u));
    }

    // --- near misses

    private static final String[] NEAR_MISSES = {
        "one two three let's start", "i have two kids and one dog", "call me at two thirty tomorrow",
        "it costs forty nine ninety nine a month", "the bill was one hundred twenty dollars",
        "room four oh two please", "since twenty nineteen", "back in twenty twenty four we moved",
        "give me one second", "i called three times last week", "look at this dot com thing",
        "oh okay oh no", "the meter reads four five six", "march twenty first", "about five or six minutes",
        "option two", "i'm on step three of four", "it's the fifteenth", "we were at home",
        "seven eight nine", "one more thing", "the reference is two one", "twenty five dollars and fifty cents",
        "two hundred", "i was at the bank and the shop", "we went out of the house", "the dot on the map",
        "that is out of date", "i looked at it twice", "as of monday dot",
    };

    private Case nearMiss() {
        return new Case("near miss", List.of(words(pick(NEAR_MISSES), null)));
    }

    // --- helpers

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    private static List<Token> words(String text, String label) {
        List<Token> out = new ArrayList<>();
        for (String w : text.split(" ")) {
            if (!w.isEmpty()) {
                out.add(new Token(w, label));
            }
        }
        return out;
    }

    /** The Luhn check written out here, independent of the production code. */
    private static final class Luhn {
        static boolean valid(String digits) {
            int sum = 0;
            for (int i = 0; i < digits.length(); i++) {
                int d = digits.charAt(digits.length() - 1 - i) - '0';
                sum += i % 2 == 1 ? (d * 2) / 10 + (d * 2) % 10 : d;
            }
            return sum % 10 == 0;
        }
    }
}
