package io.earshot.ingest.audio;

/**
 * ITU-T G.711 companding: mu-law (PCMU) and A-law (PCMA) to and from 16-bit linear PCM.
 *
 * <p>Decoding uses 256-entry tables built once; encoding follows the segment search of the
 * recommendation. Both are exact inverses on the 256 code points.
 */
public final class G711 {

    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = decodeUlaw(i);
            ALAW_TO_LINEAR[i] = decodeAlaw(i);
        }
    }

    private G711() {
    }

    /** Decodes one mu-law byte to linear PCM16. */
    public static short ulawToLinear(byte code) {
        return ULAW_TO_LINEAR[code & 0xFF];
    }

    /** Decodes one A-law byte to linear PCM16. */
    public static short alawToLinear(byte code) {
        return ALAW_TO_LINEAR[code & 0xFF];
    }

    /** Encodes one linear PCM16 sample to mu-law. */
    public static byte linearToUlaw(short sample) {
        int pcm = sample;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** Encodes one linear PCM16 sample to A-law. */
    public static byte linearToAlaw(short sample) {
        int pcm = sample;
        int sign = pcm >= 0 ? 0x80 : 0x00;
        if (pcm < 0) {
            pcm = -pcm - 1;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int code;
        if (pcm < 256) {
            code = pcm >> 4;
        } else {
            int exponent = 1;
            for (int v = pcm >> 8; v > 1; v >>= 1) {
                exponent++;
            }
            code = (exponent << 4) | ((pcm >> (exponent + 3)) & 0x0F);
        }
        return (byte) ((code | sign) ^ 0x55);
    }

    /** Decodes a whole buffer of mu-law or A-law bytes. */
    public static short[] decode(byte[] codes, int offset, int length, boolean alaw) {
        short[] table = alaw ? ALAW_TO_LINEAR : ULAW_TO_LINEAR;
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = table[codes[offset + i] & 0xFF];
        }
        return out;
    }

    private static short decodeUlaw(int code) {
        int u = ~code & 0xFF;
        int sign = u & 0x80;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
        return (short) (sign != 0 ? -magnitude : magnitude);
    }

    private static short decodeAlaw(int code) {
        int a = (code & 0xFF) ^ 0x55;
        int sign = a & 0x80;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude = exponent == 0
                ? (mantissa << 4) + 8
                : ((mantissa << 4) + 0x108) << (exponent - 1);
        return (short) (sign != 0 ? magnitude : -magnitude);
    }
}
