package io.earshot.jobs.common;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The metric job's own counters, each registered by the operator that sees the thing counted,
 * in a group {@value #GROUP} under the operator's metric group. A reporter names them after
 * the operator's scope: Flink's Prometheus reporter shows {@code eventsIn} of the validator
 * as {@code flink_taskmanager_job_task_operator_earshot_eventsIn} with the job, task and
 * operator as labels (docs/operations.md).
 */
public final class JobMetrics {

    /** The group of every Earshot counter. */
    public static final String GROUP = "earshot";
    /** Events read from the input topics, decodable or not (the validator). */
    public static final String EVENTS_IN = "eventsIn";
    /** Events behind the watermark for their window (the agent windows). */
    public static final String LATE_EVENTS = "lateEvents";
    /** Events sent to the dead letters (the validator and the per-call function). */
    public static final String DEAD_LETTERS = "deadLetters";
    /** Call summaries emitted, running and final (the per-call function). */
    public static final String SUMMARIES_OUT = "summariesOut";

    private JobMetrics() {
    }

    /** The counter {@code name} in the Earshot group of an operator's {@code metrics}. */
    public static Counter counter(MetricGroup metrics, String name) {
        return metrics.addGroup(GROUP).counter(name);
    }
}
