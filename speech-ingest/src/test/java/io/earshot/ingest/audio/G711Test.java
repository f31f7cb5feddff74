package io.earshot.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * G.711 against the recommendation itself. The expected values are worked out from the
 * piecewise-linear definition (ITU-T G.711 tables 1a/2a, scaled from 13/14-bit to 16-bit), not
 * read back from the implementation:
 *
 * <ul>
 *   <li>mu-law: the code is transmitted inverted; segment {@code e} and step {@code m} decode
 *       to {@code ((2m + 33) << (e + 2)) - 132}, i.e. 0 for the all-ones code 0xFF and
 *       {@code ((2*15 + 33) << 9) - 132 = 32124} at the top of segment 7.</li>
 *   <li>A-law: even bits are inverted (XOR 0x55), bit 7 set means positive; segment 0 decodes to
 *       {@code 16m + 8}, segment {@code e >= 1} to {@code (16m + 264) << (e - 1)}, i.e. 8 for
 *       0xD5 and {@code (16*15 + 264) << 6 = 32256} for 0xAA.</li>
 * </ul>
 */
class G711Test {

    @Test
    void shouldReproduceEveryMuLawCodeValueAfterDecodeEncodeDecode() {
        for (int code = 0; code < 256; code++) {
            short decoded = G711.ulawToLinear((byte) code);
            short again = G711.ulawToLinear(G711.linearToUlaw(decoded));
            assertThat(again).as("mu-law code 0x%02X", code).isEqualTo(decoded);
        }
    }

    @Test
    void shouldReproduceEveryMuLawCodeExceptNegativeZero() {
        // 0x7F is "negative zero": it decodes to 0, which the encoder writes as 0xFF
        for (int code = 0; code < 256; code++) {
            byte reencoded = G711.linearToUlaw(G711.ulawToLinear((byte) code));
            int expected = code == 0x7F ? 0xFF : code;
            assertThat(reencoded & 0xFF).as("mu-law code 0x%02X", code).isEqualTo(expected);
        }
    }

    @Test
    void shouldReproduceEveryALawCodeAfterDecodeEncodeDecode() {
        for (int code = 0; code < 256; code++) {
            short decoded = G711.alawToLinear((byte) code);
            byte reencoded = G711.linearToAlaw(decoded);
            assertThat(reencoded & 0xFF).as("A-law code 0x%02X", code).isEqualTo(code);
            assertThat(G711.alawToLinear(reencoded)).as("A-law code 0x%02X", code).isEqualTo(decoded);
        }
    }

    @ParameterizedTest(name = "mu-law 0x{0} -> {1}")
    @CsvSource({
            // code, linear (16-bit)
            "FF, 0",
            "7F, 0",
            "FE, 8",
            "7E, -8",
            "F0, 120",     // top of segment 0: ((2*15 + 33) << 2) - 132
            "EF, 132",     // bottom of segment 1: (33 << 3) - 132
            "E0, 372",     // top of segment 1: (63 << 3) - 132
            "8F, 16764",   // bottom of segment 7: (33 << 9) - 132
            "80, 32124",   // largest positive
            "00, -32124",  // largest negative
            "AA, 5372",    // segment 5 step 5: inverted 0x55 -> ((2*5 + 33) << 7) - 132
            "2A, -5372",
    })
    void shouldDecodeMuLawToTheValuesOfTheRecommendation(String hex, int linear) {
        assertThat(G711.ulawToLinear((byte) Integer.parseInt(hex, 16))).isEqualTo((short) linear);
    }

    @ParameterizedTest(name = "A-law 0x{0} -> {1}")
    @CsvSource({
            // code, linear (16-bit)
            "D5, 8",
            "55, -8",
            "D4, 24",      // segment 0 step 1: 16 + 8
            "DA, 248",     // top of segment 0: 16*15 + 8
            "C5, 264",     // bottom of segment 1: 256 + 8
            "F5, 528",     // bottom of segment 2: 512 + 16
            "AA, 32256",   // largest positive
            "2A, -32256",  // largest negative
            "80, 5504",    // 0x80^0x55 = 0xD5: segment 5 step 5: (16*5 + 264) << 4
            "00, -5504",
    })
    void shouldDecodeALawToTheValuesOfTheRecommendation(String hex, int linear) {
        assertThat(G711.alawToLinear((byte) Integer.parseInt(hex, 16))).isEqualTo((short) linear);
    }

    @ParameterizedTest(name = "mu-law encode {0} -> 0x{1}")
    @CsvSource({
            "0, FF",
            "3, FF",       // below the first decision level (4)
            "4, FE",
            "-4, 7E",
            "32767, 80",   // clipped to the top code
            "-32768, 00",
            "32124, 80",
            "123, F0",     // last value of segment 0
            "124, EF",     // first value of segment 1
    })
    void shouldEncodeMuLawAtTheDecisionLevelsOfTheRecommendation(int linear, String hex) {
        assertThat(G711.linearToUlaw((short) linear) & 0xFF).isEqualTo(Integer.parseInt(hex, 16));
    }

    @ParameterizedTest(name = "A-law encode {0} -> 0x{1}")
    @CsvSource({
            "0, D5",
            "15, D5",
            "16, D4",
            "-1, 55",
            "-16, 55",
            "-17, 54",
            "255, DA",
            "256, C5",
            "32767, AA",
            "-32768, 2A",
    })
    void shouldEncodeALawAtTheDecisionLevelsOfTheRecommendation(int linear, String hex) {
        assertThat(G711.linearToAlaw((short) linear) & 0xFF).isEqualTo(Integer.parseInt(hex, 16));
    }

    @Test
    void shouldKeepMuLawErrorWithinTheSegmentStepForEverySample() {
        List<String> violations = new ArrayList<>();
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int error = Math.abs(G711.ulawToLinear(G711.linearToUlaw((short) x)) - x);
            int magnitude = Math.abs(x);
            int step = muLawStep(magnitude);
            // inside the coder's range the reconstruction is the middle of its decision interval;
            // only overload (beyond +-32635) may err by up to a whole step
            int bound = magnitude <= MU_LAW_CLIP ? step / 2 : step;
            if (error > bound) {
                violations.add(x + " (error " + error + ", step " + step + ")");
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldKeepALawErrorWithinHalfTheSegmentStepForEverySample() {
        List<String> violations = new ArrayList<>();
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int error = Math.abs(G711.alawToLinear(G711.linearToAlaw((short) x)) - x);
            // A-law is symmetric around -0.5: negative x is coded by its one's complement
            int magnitude = x >= 0 ? x : -x - 1;
            int step = aLawStep(magnitude);
            if (error > step / 2) {
                violations.add(x + " (error " + error + ", step " + step + ")");
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void shouldBeMonotonicSoLouderInputNeverDecodesQuieter() {
        short previousU = Short.MIN_VALUE;
        short previousA = Short.MIN_VALUE;
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            short u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            short a = G711.alawToLinear(G711.linearToAlaw((short) x));
            assertThat(u).as("mu-law at %d", x).isGreaterThanOrEqualTo(previousU);
            assertThat(a).as("A-law at %d", x).isGreaterThanOrEqualTo(previousA);
            previousU = u;
            previousA = a;
        }
    }

    @Test
    void shouldDecodeBuffersWithTheChosenLaw() {
        byte[] codes = {0x11, (byte) 0xFF, (byte) 0xD5, (byte) 0x80, 0x2A};
        short[] ulaw = G711.decode(codes, 1, 4, false);
        short[] alaw = G711.decode(codes, 1, 4, true);
        // mu-law 0xD5: inverted 0x2A, segment 2 step 10 -> ((2*10 + 33) << 4) - 132 = 716
        assertThat(ulaw).containsExactly((short) 0, (short) 716, (short) 32124, (short) -5372);
        // A-law 0xFF: 0xFF^0x55 = 0xAA, positive, segment 2 step 10 -> (16*10 + 264) << 1 = 848
        assertThat(alaw).containsExactly((short) 848, (short) 8, (short) 5504, (short) -32256);
    }

    /** Largest magnitude the mu-law coder represents without overload (8159 in 14-bit units). */
    private static final int MU_LAW_CLIP = 32635;

    /**
     * Quantisation step of the mu-law segment holding {@code magnitude}: segment {@code e}
     * spans biased magnitudes {@code [128 << e, 256 << e)} with a step of {@code 8 << e}
     * (G.711 table 2a: steps 2..256 in 14-bit units, times 4).
     */
    private static int muLawStep(int magnitude) {
        int biased = Math.min(magnitude, MU_LAW_CLIP) + 132;
        int segment = 0;
        while (segment < 7 && biased >= (256 << segment)) {
            segment++;
        }
        return 8 << segment;
    }

    /**
     * Quantisation step of the A-law segment holding {@code magnitude}: segments 0 and 1 share a
     * step of 16; segment {@code e >= 1} spans {@code [128 << e, 256 << e)} with a step of
     * {@code 8 << e} (G.711 table 1a: steps 2..128 in 13-bit units, times 8).
     */
    private static int aLawStep(int magnitude) {
        if (magnitude < 256) {
            return 16;
        }
        int segment = 1;
        while (segment < 7 && magnitude >= (256 << segment)) {
            segment++;
        }
        return 8 << segment;
    }
}
