package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which call ids the registry lets start: never one that is live or that it ended recently. */
class CallRegistryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static CallRegistry registry(int rememberedEndedCalls) {
        return new CallRegistry(VadConfig.DEFAULTS, null, (callId, time, event) -> { }, AgentDirectory.open(), CLOCK,
                rememberedEndedCalls);
    }

    private static CallInfo call(String id) {
        return new CallInfo(id, "agent-1", null, null, SourceProtocol.TWILIO,
                List.of(new ChannelRole(0, "outbound", Role.AGENT), new ChannelRole(1, "inbound", Role.CUSTOMER)),
                CLOCK.millis(), 8000);
    }

    @Test
    void shouldRefuseTheIdOfALiveCall() {
        CallRegistry calls = registry(10);
        calls.start(call("c-1"));

        assertThatThrownBy(() -> calls.start(call("c-1"))).isInstanceOf(CallRejectedException.class)
                .hasMessageContaining("already streaming");
        assertThat(calls.activeCalls()).isEqualTo(1);
        assertThat(calls.refusedCalls()).isEqualTo(1);
    }

    @Test
    void shouldRefuseTheIdOfACallThatEndedSoItsStoredDataCannotBeReplaced() throws Exception {
        CallRegistry calls = registry(10);
        calls.start(call("c-1"));
        calls.finish("c-1", "stop").get(10, TimeUnit.SECONDS);

        assertThatThrownBy(() -> calls.start(call("c-1"))).isInstanceOf(CallRejectedException.class)
                .hasMessageContaining("has ended already");
        assertThat(calls.startedCalls()).isEqualTo(1);
    }

    @Test
    void shouldForgetTheOldestEndedIdBeyondItsMemory() throws Exception {
        CallRegistry calls = registry(1);
        calls.start(call("c-1"));
        calls.finish("c-1", "stop").get(10, TimeUnit.SECONDS);
        calls.start(call("c-2"));
        calls.finish("c-2", "stop").get(10, TimeUnit.SECONDS);

        calls.start(call("c-1"));
        assertThatThrownBy(() -> calls.start(call("c-2"))).isInstanceOf(CallRejectedException.class);
        assertThat(calls.startedCalls()).isEqualTo(3);
    }
}
