package io.earshot.ingest.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Pcm16Test {

    @Test
    void shouldReadSamplesLittleEndianAndSigned() {
        byte[] bytes = {0x34, 0x12, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};

        assertThat(Pcm16.decode(bytes, 0, bytes.length)).containsExactly((short) 0x1234, (short) -1,
                Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Test
    void shouldDecodeFromAnOffset() {
        byte[] bytes = {9, 0x02, 0x01, 9};

        assertThat(Pcm16.decode(bytes, 1, 2)).containsExactly((short) 0x0102);
        assertThat(Pcm16.sample(bytes, 1)).isEqualTo((short) 0x0102);
    }

    @Test
    void shouldRefuseHalfASample() {
        assertThatThrownBy(() -> Pcm16.decode(new byte[3], 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("L16 payload of odd length 3");
    }
}
