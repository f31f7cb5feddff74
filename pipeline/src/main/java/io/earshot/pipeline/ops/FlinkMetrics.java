package io.earshot.pipeline.ops;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Flink's Prometheus reporter for the metric job when it runs in this process (a local
 * MiniCluster: {@code earshot job} without {@code --flink}, the demo): the same two settings a
 * Flink cluster's {@code config.yaml} sets (docs/operations.md), here on the local cluster's
 * configuration. The reporter then serves every metric of the cluster, the job's own
 * ({@code io.earshot.jobs.common.JobMetrics}) included, at {@code http://HOST:PORT/}.
 */
public final class FlinkMetrics {

    /** The reporter's name in the configuration keys ({@code metrics.reporter.prom.*}). */
    public static final String REPORTER = "prom";
    /** The reporter factory a cluster's configuration names. */
    public static final String FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    /** The port Flink's documentation uses for the reporter. */
    public static final int DEFAULT_PORT = 9249;

    private FlinkMetrics() {
    }

    /** The configuration keys that switch the reporter on, serving on {@code port}. */
    public static Configuration reporter(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("the Flink metrics port must be 1-65535, not " + port);
        }
        Configuration conf = new Configuration();
        conf.setString("metrics.reporter." + REPORTER + ".factory.class", FACTORY);
        conf.setString("metrics.reporter." + REPORTER + ".port", String.valueOf(port));
        return conf;
    }

    /**
     * The environment to run the job in: with the reporter on {@code port}, or Flink's default
     * environment when {@code port} is null.
     */
    public static StreamExecutionEnvironment environment(Integer port) {
        return environment(port, new Configuration());
    }

    /** As {@link #environment(Integer)}, with {@code base} (e.g. the checkpoint to resume from) as well. */
    public static StreamExecutionEnvironment environment(Integer port, Configuration base) {
        Configuration conf = new Configuration(base);
        if (port != null) {
            conf.addAll(reporter(port));
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }
}
