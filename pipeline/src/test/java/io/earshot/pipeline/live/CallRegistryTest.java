package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.ingest.dsp.VadConfig;
import io.earshot.ingest.live.CallInfo;
import io.earshot.schemas.CallEnded;
import io.earshot.schemas.ChannelRole;
import io.earshot.schemas.Role;
import io.earshot.schemas.SourceProtocol;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class CallRegistryTest {

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
}
