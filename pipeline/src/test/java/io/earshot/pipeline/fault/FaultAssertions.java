package io.earshot.pipeline.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.earshot.contracts.Topics;
import io.earshot.pipeline.fault.RecordedCalls.FaultFree;
import io.earshot.pipeline.fault.RecordedCalls.WindowKey;
import io.earshot.schemas.AgentMetricsComputed;
import io.earshot.schemas.CallSummaryComputed;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/** What the fault tests check: the outputs and the store equal a fault-free run's, none lost and none doubled. */
final class FaultAssertions {

    private FaultAssertions() {
    }

    /** Polls until {@code done} holds, failing with {@code what} and {@code detail} after {@code bound}. */
    static void await(String what, Duration bound, BooleanSupplier done, Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound + ": " + what + "\n" + detail.get());
            }
            Thread.sleep(250);
        }
    }

    /** Waits until every final summary, and every window due by the last of them, has been read. */
    static void awaitOutputs(OutputReader reader, FaultFree expected, Duration bound, Supplier<String> detail)
            throws InterruptedException {
        List<WindowKey> due = expected.windowsEndingBy(expected.lastFinalMs());
        await("all " + expected.summaries().size() + " final summaries and " + due.size() + " windows read", bound,
                () -> reader.finals().stream().map(f -> f.getCallId()).distinct().count()
                        >= expected.summaries().size() && reader.hasWindows(due),
                () -> "read " + reader.finals().size() + " summaries, " + reader.windows().size() + " windows;"
                        + " windows due and not read: " + missing(reader, due) + "; dead letters: "
                        + reader.records(Topics.DEAD_LETTERS).size() + "\n" + detail.get());
    }

    /** The windows of {@code due} not read, with the windows read for the same key, for a failure message. */
    private static String missing(OutputReader reader, List<WindowKey> due) {
        var read = reader.windows().stream().map(WindowKey::of).collect(java.util.stream.Collectors.toSet());
        StringBuilder out = new StringBuilder();
        for (WindowKey k : due) {
            if (!read.contains(k)) {
                out.append("\n  ").append(k).append(" (read for this key: ").append(read.stream()
                        .filter(r -> r.scope().equals(k.scope()) && r.key().equals(k.key())
                                && r.window().equals(k.window()))
                        .map(r -> r.startMs() + "-" + r.endMs()).sorted().toList()).append("; ")
                        .append(reader.fate(k)).append(')');
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    /**
     * Every final summary and window read equals the fault-free run's, each once: none doubled,
     * none made up, none of the summaries and windows due lost; and no dead letter.
     *
     * @return how many records were compared
     */
    static int assertOutputsEqualFaultFree(OutputReader reader, FaultFree expected) {
        List<CallSummaryComputed> finals = reader.finals();
        assertThat(finals).extracting(s -> s.getCallId()).as("one final summary per call")
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(expected.summaries().keySet());
        for (CallSummaryComputed got : finals) {
            assertThat(got).as(got.getCallId()).isEqualTo(expected.summaries().get(got.getCallId()));
        }
        List<AgentMetricsComputed> windows = reader.windows();
        assertThat(windows).extracting(WindowKey::of).as("each window once").doesNotHaveDuplicates();
        for (AgentMetricsComputed got : windows) {
            assertThat(got).as("window %s", WindowKey.of(got)).isEqualTo(expected.windows().get(WindowKey.of(got)));
        }
        assertThat(windows).extracting(WindowKey::of)
                .containsAll(expected.windowsEndingBy(expected.lastFinalMs()));
        assertThat(reader.records(Topics.DEAD_LETTERS)).as("dead letters").isEmpty();
        return finals.size() + windows.size();
    }

    /**
     * Waits until the store holds every call and every window read from Kafka, then checks that
     * its rows carry their values, once each (the keys are primary keys; the counts say no
     * other row appeared).
     *
     * @return how many rows were compared
     */
    static int assertStoreEqualsOutputs(DataSource store, OutputReader reader, FaultFree expected, Duration bound)
            throws InterruptedException {
        Map<WindowKey, AgentMetricsComputed> read = reader.windows().stream()
                .collect(Collectors.toMap(WindowKey::of, w -> w, (a, b) -> a));
        await("the store holds every call and every window read", bound,
                () -> calls(store).keySet().containsAll(expected.summaries().keySet())
                        && windows(store).keySet().containsAll(read.keySet()),
                () -> "store: " + calls(store).size() + " calls, " + windows(store).size() + " windows");
        Map<String, List<Object>> calls = calls(store);
        assertThat(calls).hasSameSizeAs(expected.summaries());
        for (CallSummaryComputed s : expected.summaries().values()) {
            assertThat(calls.get(s.getCallId())).as(s.getCallId()).containsExactly(s.getAgentId(),
                    s.getEmittedAt().toEpochMilli(), s.getDurationMs(), s.getAgentTalkMs(), s.getCustomerTalkMs(),
                    s.getOverlapMs(), s.getAgentInterruptions(), (long) s.getInterruptions().size());
        }
        Map<WindowKey, List<Object>> windows = windows(store);
        for (Map.Entry<WindowKey, AgentMetricsComputed> w : read.entrySet()) {
            var t = w.getValue().getTotals();
            assertThat(windows.get(w.getKey())).as("window %s", w.getKey())
                    .containsExactly(t.getCallTimeMs(), t.getAgentTalkMs(), t.getAgentInterruptions(),
                            t.getCallsEnded());
        }
        return calls.size() + read.size();
    }

    private static Map<String, List<Object>> calls(DataSource store) {
        Map<String, List<Object>> rows = new HashMap<>();
        query(store, "SELECT call_id, agent_id, (extract(epoch FROM emitted_at) * 1000)::bigint, duration_ms,"
                + " agent_talk_ms, customer_talk_ms, overlap_ms, agent_interruptions,"
                + " agent_interruptions + customer_interruptions FROM calls", r -> rows.put(r.getString(1),
                List.of(r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7),
                        r.getLong(8), r.getLong(9))));
        return rows;
    }

    private static Map<WindowKey, List<Object>> windows(DataSource store) {
        Map<WindowKey, List<Object>> rows = new HashMap<>();
        query(store, "SELECT scope, key, window_kind, (extract(epoch FROM window_start) * 1000)::bigint,"
                + " (extract(epoch FROM window_end) * 1000)::bigint, call_time_ms, agent_talk_ms,"
                + " agent_interruptions, calls_ended FROM agent_windows", r -> rows.put(
                new WindowKey(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5)),
                List.of(r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9))));
        return rows;
    }

    private interface Row {
        void accept(ResultSet r) throws SQLException;
    }

    /** Runs a query; a database that cannot be reached reads as empty (the caller polls). */
    private static void query(DataSource store, String sql, Row row) {
        try (Connection c = store.getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                row.accept(r);
            }
        } catch (SQLException e) {
            // down for the moment: nothing to see yet
        }
    }
}
