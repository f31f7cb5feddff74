package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.live.CallInfo;
import io.earshot.ingest.protocol.CallRejectedException;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Which calls the registry lets start: within its bounds, never an id that is live or ended recently. */
class CallRegistryTest {

    private final List<String> published = new ArrayList<>();
    private final CallRegistry calls = new CallRegistry(VadConfig.DEFAULTS, null,
            (callId, at, event) -> {
                synchronized (published) {
                    published.add(callId + " " + event.getSchema().getName());
                }
            }, AgentDirectory.open(), Clock.systemUTC(), new CallRegistry.Limits(3, 2));

    @Test
    void shouldRefuseACallerOverItsKeyWhileOtherCallersStillStart() {
        calls.start(info("a1"), "audiohook:tenant-a");
        calls.start(info("a2"), "audiohook:tenant-a");

        assertThatThrownBy(() -> calls.start(info("a3"), "audiohook:tenant-a"))
                .isInstanceOf(CallRejectedException.class)
                .hasMessage("too many concurrent calls for this caller (at most 2)");
        calls.start(info("b1"), "twilio:ACb");
        assertThat(calls.activeCalls()).isEqualTo(3);
        assertThat(calls.refusedCalls()).isEqualTo(1);
        assertThat(published).doesNotContain("a3 CallStarted");
    }

    @Test
    void shouldRefuseEveryCallerAtTheGlobalBound() {
        calls.start(info("a1"), "audiohook:tenant-a");
        calls.start(info("b1"), "twilio:ACb");
        calls.start(info("raw"), null);

        assertThatThrownBy(() -> calls.start(info("c1"), "twilio:ACc"))
                .isInstanceOf(CallRejectedException.class)
                .hasMessage("too many concurrent calls (at most 3)");
        assertThatThrownBy(() -> calls.start(info("raw-2")))
                .isInstanceOf(CallRejectedException.class);
    }

    @Test
    void shouldCountACallUntilItsEndIsPublishedAndThenFreeItsPlace() throws Exception {
        calls.start(info("a1"), "audiohook:tenant-a");
        calls.start(info("a2"), "audiohook:tenant-a");
        calls.finish("a1", "end").get(10, TimeUnit.SECONDS);

        calls.start(info("a3"), "audiohook:tenant-a");
        assertThat(calls.activeCalls()).isEqualTo(2);
        assertThat(published).contains("a1 CallEnded", "a3 CallStarted");
    }

    @Test
    void shouldRefuseASecondCallWithALiveIdWithoutCountingIt() {
        calls.start(info("a1"), "audiohook:tenant-a");

        assertThatThrownBy(() -> calls.start(info("a1"), "audiohook:tenant-b"))
                .isInstanceOf(CallRejectedException.class)
                .hasMessage("call 'a1' is already streaming");
        calls.start(info("b1"), "audiohook:tenant-b");
        calls.start(info("b2"), "audiohook:tenant-b");
        assertThat(calls.activeCalls()).isEqualTo(3);
    }

    private static CallInfo info(String id) {
        return new CallInfo(id, "agent-1", null, null, SourceProtocol.AUDIOHOOK,
                List.of(new ChannelRole(0, "external", Role.CUSTOMER), new ChannelRole(1, "internal", Role.AGENT)),
                0, 8000);
    }

    @Test
    void shouldCountACallThatEndsAtOnceAsEndedOnceAndForgetIt() throws Exception {
        List<SpecificRecord> published = new CopyOnWriteArrayList<>();
        try (CallRegistry calls = new CallRegistry(VadConfig.DEFAULTS, null, (id, at, e) -> published.add(e),
                AgentDirectory.open(), Clock.systemUTC())) {
            calls.start(new CallInfo("c1", "agent-1", "floor", null, SourceProtocol.KAFKA_RAW,
                    List.of(new ChannelRole(0, "agent", Role.AGENT), new ChannelRole(1, "customer", Role.CUSTOMER)),
                    1_764_000_000_000L, 8000));

            // without recognisers nothing is pending: the call's end completes on this thread
            calls.finish("c1", "eof").get();
            calls.finish("c1", "eof").get();

            assertThat(calls.endedCalls()).isEqualTo(1);
            assertThat(calls.activeCalls()).isZero();
            assertThat(published).filteredOn(e -> e instanceof CallEnded).hasSize(1);
        }
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static CallRegistry registry(int rememberedEndedCalls) {
        return new CallRegistry(VadConfig.DEFAULTS, null, (callId, time, event) -> { }, AgentDirectory.open(), CLOCK,
                new CallRegistry.Limits(CallRegistry.Limits.DEFAULT_MAX_CALLS,
                        CallRegistry.Limits.DEFAULT_MAX_CALLS_PER_KEY, rememberedEndedCalls));
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
