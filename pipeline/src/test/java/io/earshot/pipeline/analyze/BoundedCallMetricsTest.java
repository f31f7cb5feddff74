package io.earshot.pipeline.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.analysis.config.JobConfig;
import io.earshot.analysis.events.CallEvent;
import io.earshot.analysis.events.SyntheticCalls;
import io.earshot.analysis.summary.CallSummary;
import io.earshot.analysis.windows.Scope;
import io.earshot.analysis.windows.WindowKind;
import io.earshot.analysis.windows.WindowMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The bounded run hands events and results over in memory: runs at the same time in one JVM
 * each get their own calls' results, and the caller's events come back unchanged although the
 * job's operators read them without a copy.
 */
class BoundedCallMetricsTest {

    @Test
    void concurrentRunsEachGetTheirOwnCallsAndLeaveTheEventsUnchanged() throws Exception {
        List<CallEvent> first = SyntheticCalls.calls(6, 1, 1_764_000_000_000L, 20_000, 7);
        List<CallEvent> second = SyntheticCalls.calls(4, 2, 1_764_000_000_000L, 30_000, 8);
        List<byte[]> before = serialized(first);
        before.addAll(serialized(second));

        CompletableFuture<BoundedCallMetrics.Result> a = CompletableFuture.supplyAsync(() -> run(first));
        CompletableFuture<BoundedCallMetrics.Result> b = CompletableFuture.supplyAsync(() -> run(second));
        BoundedCallMetrics.Result ra = a.get();
        BoundedCallMetrics.Result rb = b.get();

        assertThat(finalIds(ra)).isEqualTo(callIds(first)).hasSize(6);
        assertThat(finalIds(rb)).isEqualTo(callIds(second)).hasSize(4);
        assertThat(ra.summaries()).allMatch(CallSummary::isFinal);
        assertThat(ra.deadLetters()).isEmpty();
        assertThat(rb.deadLetters()).isEmpty();
        // every call counted in the windows of its own run, and only there
        assertThat(callsEnded(ra)).isEqualTo(6);
        assertThat(callsEnded(rb)).isEqualTo(4);

        List<byte[]> after = serialized(first);
        after.addAll(serialized(second));
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i)).as("event %d", i).isEqualTo(before.get(i));
        }
    }

    @Test
    void aRunGivesTheSameResultsAgain() throws Exception {
        List<CallEvent> events = SyntheticCalls.calls(5, 3, 1_764_000_000_000L, 25_000, 11);
        BoundedCallMetrics.Result once = run(events);
        BoundedCallMetrics.Result again = run(events);
        assertThat(sortedSummaries(again)).isEqualTo(sortedSummaries(once));
        assertThat(sortedWindows(again)).isEqualTo(sortedWindows(once));
    }

    @Test
    void noEventsGiveNoResults() throws Exception {
        BoundedCallMetrics.Result r = BoundedCallMetrics.run(List.of(), JobConfig.DEFAULTS, 2);
        assertThat(r.summaries()).isEmpty();
        assertThat(r.windows()).isEmpty();
        assertThat(r.deadLetters()).isEmpty();
        assertThat(r.processingNanos()).isZero();
    }

    @Test
    void aRunsProcessingTimeLiesWithinItsWallTimeAndLeavesOutTheClustersStart() throws Exception {
        List<CallEvent> events = SyntheticCalls.calls(5, 3, 1_764_000_000_000L, 25_000, 12);
        long t0 = System.nanoTime();
        BoundedCallMetrics.Result r = run(events);
        long wall = System.nanoTime() - t0;
        // from the source's first event to the last result: the local cluster starts before it
        // (its RPC system, task managers, the job's deployment) and stops after it
        assertThat(r.processingNanos()).isPositive().isLessThan(wall);
    }

    private static BoundedCallMetrics.Result run(List<CallEvent> events) {
        try {
            return BoundedCallMetrics.run(events, JobConfig.DEFAULTS, 2);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> finalIds(BoundedCallMetrics.Result r) {
        return r.summaries().stream().map(CallSummary::callId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> callIds(List<CallEvent> events) {
        return events.stream().map(e -> e.callId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Calls ended, summed over the agent scope of the daily windows. */
    private static long callsEnded(BoundedCallMetrics.Result r) {
        return r.windows().stream().filter(w -> w.window() == WindowKind.DAILY && w.scope() == Scope.AGENT)
                .mapToLong(w -> w.totals().callsEnded()).sum();
    }

    private static List<CallSummary> sortedSummaries(BoundedCallMetrics.Result r) {
        return r.summaries().stream().sorted(Comparator.comparing(CallSummary::callId)).toList();
    }

    private static List<WindowMetrics> sortedWindows(BoundedCallMetrics.Result r) {
        return r.windows().stream().sorted(Comparator.comparing(WindowMetrics::window)
                .thenComparing(WindowMetrics::scope).thenComparing(WindowMetrics::key)
                .thenComparingLong(WindowMetrics::windowStartMs)).toList();
    }

    private static List<byte[]> serialized(List<CallEvent> events) throws Exception {
        TypeSerializer<CallEvent> serializer = TypeInformation.of(CallEvent.class)
                .createSerializer(new SerializerConfigImpl());
        List<byte[]> out = new ArrayList<>();
        for (CallEvent e : events) {
            DataOutputSerializer buffer = new DataOutputSerializer(256);
            serializer.serialize(e, buffer);
            out.add(buffer.getCopyOfBuffer());
        }
        return out;
    }
}
