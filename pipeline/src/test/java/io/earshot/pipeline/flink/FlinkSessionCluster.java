package io.earshot.pipeline.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A standalone Flink session cluster for tests, as a Flink distribution runs one: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}),
 * each its own JVM with only Flink on its class path (the test's class path less what the job
 * jar brings), configured by a {@code config.yaml} written here. Jobs reach it through its REST
 * endpoint ({@link #rest()}), as {@code earshot job --flink} does.
 *
 * <p>TaskManager {@code i} has the resource id {@code tm-i}, so the REST API's view of where
 * tasks run names the JVM to kill. Heartbeats are every 2 s with a 30 s timeout: a
 * TaskManager killed outright is noticed within seconds (its connections break and two
 * heartbeat RPCs fail), while a JVM merely slowed by a loaded machine is not declared lost.
 * Logs go to {@code jm.log} and {@code tm-i.log} in the directory.
 */
public final class FlinkSessionCluster implements AutoCloseable {

    /** What the job jar brings or what no cluster has, kept off the cluster JVMs' class path. */
    private static final Pattern NOT_ON_A_CLUSTER = Pattern.compile(
            ".*(/io/earshot/|/earshot-|/org/apache/kafka/|flink-connector-kafka|/org/apache/avro/|/com/fasterxml/"
                    + "|zstd-jni|lz4-java|snappy-java|/target/classes|/target/test-classes"
                    + "|junit|opentest4j|apiguardian|assertj|flink-test-utils|-tests\\.jar).*");
    private static final Duration START_BOUND = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int rest;
    private final Process jobManager;
    private final Map<String, Process> taskManagers = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private FlinkSessionCluster(Path dir, int rest, Process jobManager) {
        this.dir = dir;
        this.rest = rest;
        this.jobManager = jobManager;
    }

    /**
     * Writes the configuration into {@code dir}, starts the JobManager and {@code taskManagers}
     * TaskManagers of {@code slots} slots each, and waits until all of them have registered.
     */
    public static FlinkSessionCluster start(Path dir, int taskManagers, int slots) throws Exception {
        int rpc = freePort();
        int rest = freePort();
        Files.writeString(dir.resolve("config.yaml"), """
                jobmanager.rpc.address: localhost
                jobmanager.rpc.port: %d
                jobmanager.bind-host: localhost
                rest.address: localhost
                rest.bind-address: localhost
                rest.port: %d
                taskmanager.host: localhost
                taskmanager.bind-host: localhost
                taskmanager.numberOfTaskSlots: %d
                parallelism.default: 2
                heartbeat.interval: 2000
                heartbeat.timeout: 30000
                jobmanager.memory.process.size: 768m
                # what Flink's taskmanager.sh computes and passes: a TaskManager started by hand needs it given
                taskmanager.cpu.cores: 2.0
                taskmanager.memory.framework.heap.size: 128m
                taskmanager.memory.framework.off-heap.size: 128m
                taskmanager.memory.task.heap.size: 256m
                taskmanager.memory.task.off-heap.size: 0m
                taskmanager.memory.network.min: 64m
                taskmanager.memory.network.max: 64m
                taskmanager.memory.managed.size: 64m
                taskmanager.memory.jvm-metaspace.size: 256m
                taskmanager.memory.jvm-overhead.min: 192m
                taskmanager.memory.jvm-overhead.max: 192m
                """.formatted(rpc, rest, slots));
        // the JVMs log at INFO into their log files, as a distribution's conf/log4j.properties has them do
        Files.writeString(dir.resolve("log4j2.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.out.ref = out
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} [%t] - %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """);
        FlinkSessionCluster cluster = new FlinkSessionCluster(dir, rest,
                jvm(dir, "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "jm", List.of()));
        try {
            for (int i = 1; i <= taskManagers; i++) {
                cluster.startTaskManager("tm-" + i);
            }
            cluster.awaitTaskManagers(taskManagers);
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The REST endpoint, {@code localhost:PORT}, for {@code earshot job --flink}. */
    public String rest() {
        return "localhost:" + rest;
    }

    /** The ids of the TaskManagers that run some of the job's tasks now (whose slots are taken). */
    public List<String> busyTaskManagers() throws IOException, InterruptedException {
        List<String> busy = new ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                busy.add(tm.path("id").asText());
            }
        }
        return busy;
    }

    /** The state of every job on the cluster (RUNNING, RESTARTING, ...), by job id. */
    public Map<String, String> jobs() throws IOException, InterruptedException {
        Map<String, String> jobs = new LinkedHashMap<>();
        for (JsonNode job : get("/jobs").path("jobs")) {
            jobs.put(job.path("id").asText(), job.path("status").asText());
        }
        return jobs;
    }

    /** How many failures the job has recovered from (the entries of its exception history). */
    public int failovers(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    /** How many checkpoints of the job have completed. */
    public int completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asInt();
    }

    /** The newest completed checkpoint's external path, or null when there is none. */
    public String latestCheckpointPath(String jobId) throws IOException, InterruptedException {
        JsonNode latest = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return latest.isMissingNode() || latest.isNull() ? null : latest.path("external_path").asText(null);
    }

    /** Kills the TaskManager's JVM outright, as {@code kill -9} does, and waits until it is gone. */
    public void kill(String taskManager) throws InterruptedException {
        Process p = taskManagers.get(taskManager);
        if (p == null) {
            throw new IllegalArgumentException("no TaskManager " + taskManager + " among " + taskManagers.keySet());
        }
        p.destroyForcibly().waitFor();
    }

    /** The cluster's logs, for a failure message. */
    public String logs() {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(log);
                all.append("==> ").append(log.getFileName()).append(" (last 4000 chars)\n")
                        .append(text, Math.max(0, text.length() - 4000), text.length()).append('\n');
            }
        } catch (IOException e) {
            all.append("(logs unreadable: ").append(e).append(")");
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : taskManagers.values()) {
            p.destroyForcibly().waitFor();
        }
        jobManager.destroyForcibly().waitFor();
    }

    private void startTaskManager(String id) throws IOException {
        taskManagers.put(id, jvm(dir, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", id,
                List.of("-Dtaskmanager.resource-id=" + id)));
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + rest + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void awaitTaskManagers(int count) throws Exception {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            List<Process> all = new ArrayList<>(taskManagers.values());
            all.add(jobManager);
            for (Process p : all) {
                if (!p.isAlive()) {
                    throw new AssertionError("a cluster JVM exited with " + p.exitValue() + "; logs:\n" + logs());
                }
            }
            try {
                if (get("/taskmanagers").path("taskmanagers").size() >= count) {
                    return;
                }
            } catch (IOException e) {
                // the REST endpoint is not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the session cluster did not come up within " + START_BOUND + "; logs:\n" + logs());
    }

    private static Process jvm(Path dir, String main, String name, List<String> dynamicProperties)
            throws IOException {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!NOT_ON_A_CLUSTER.matcher(entry.replace(File.separatorChar, '/')).matches()) {
                classPath.add(entry);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the same JDK 17 opens Flink's scripts pass (this JVM got them from the pom)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")).forEach(command::add);
        command.addAll(List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-cp", String.join(File.pathSeparator, classPath), main,
                "--configDir", dir.toString()));
        command.addAll(dynamicProperties);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
