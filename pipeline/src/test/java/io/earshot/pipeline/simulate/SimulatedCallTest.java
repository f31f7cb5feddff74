package io.earshot.pipeline.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.audio.AgentChannel;
import io.earshot.ingest.audio.AudioFormatException;
import io.earshot.ingest.audio.SampleEncoding;
import io.earshot.ingest.audio.WavWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedCallTest {

    private static final short[] LEFT = {100, 200, 300, 400};
    private static final short[] RIGHT = {-1, -2, -3, -4};

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheAgentFromTheChosenChannelOfAStereoFile() throws Exception {
        Path wav = dir.resolve("billing.wav");
        WavWriter.write(wav, 8000, SampleEncoding.PCM16, LEFT, RIGHT);

        SimulatedCall.Recording left = SimulatedCall.Recording.load(wav.toString(), AgentChannel.LEFT);
        SimulatedCall.Recording right = SimulatedCall.Recording.load(wav.toString(), AgentChannel.RIGHT);

        assertThat(left.stem()).isEqualTo("billing");
        assertThat(left.agent()).containsExactly(LEFT);
        assertThat(left.customer()).containsExactly(RIGHT);
        assertThat(right.agent()).containsExactly(RIGHT);
        assertThat(right.customer()).containsExactly(LEFT);
    }

    @Test
    void shouldLoadAnAgentCustomerPairGivenWithAComma() throws Exception {
        Path agent = dir.resolve("agent.wav");
        Path customer = dir.resolve("customer.wav");
        WavWriter.write(agent, 8000, SampleEncoding.PCM16, LEFT);
        WavWriter.write(customer, 8000, SampleEncoding.PCM16, RIGHT);

        SimulatedCall.Recording r = SimulatedCall.Recording.load(agent + "," + customer, AgentChannel.LEFT);

        assertThat(r.agent()).containsExactly(LEFT);
        assertThat(r.customer()).containsExactly(RIGHT);
        assertThat(r.stem()).isEqualTo("agent");
    }

    @Test
    void shouldRefuseAudioThatIsNotTelephoneRateNamingTheFile() throws Exception {
        Path wide = dir.resolve("wideband.wav");
        WavWriter.write(wide, 16000, SampleEncoding.PCM16, LEFT, RIGHT);

        assertThatThrownBy(() -> SimulatedCall.Recording.load(wide.toString(), AgentChannel.LEFT))
                .isInstanceOf(AudioFormatException.class)
                .hasMessageContaining("wideband.wav").hasMessageContaining("16000").hasMessageContaining("8000");
    }

    @Test
    void shouldGiveEachCallItsOwnIdAndExpandTheIndexInMetadata() {
        SimulatedCall.Recording r = new SimulatedCall.Recording("billing", LEFT, RIGHT);

        SimulatedCall first = CallMetadata.DEFAULTS.call(1, r);
        SimulatedCall fourth = new CallMetadata("a-{i}", "team", "q{i}").call(4, r);

        assertThat(first.callId()).isEqualTo("billing-1");
        assertThat(first.agentId()).isEqualTo("agent-1");
        assertThat(fourth.callId()).isEqualTo("billing-4");
        assertThat(fourth.agentId()).isEqualTo("a-4");
        assertThat(fourth.team()).isEqualTo("team");
        assertThat(fourth.queue()).isEqualTo("q4");
    }
}
