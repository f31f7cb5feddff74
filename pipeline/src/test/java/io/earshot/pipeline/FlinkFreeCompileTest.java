package io.earshot.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module rule of the project's style guide: dependencies flow one way, and only the Flink
 * job and the embedded runner that starts it need Flink. The pipeline module depends on the jobs
 * module (and so on Flink) for that runner, so Maven alone cannot show that the rest does without:
 * this test compiles, from source, the code the rule names (ingest: all of {@code speech-ingest}
 * and the live ingest runtime; the store writer; the API and the web layer under it; the
 * dashboard; the configuration; the analysts' services that wire the last four together) against
 * the pipeline's classpath with every Flink jar and the jobs module taken out. Whatever those
 * classes use from the rest of the pipeline is compiled with them (javac's source path), so a
 * Flink or jobs import anywhere in what they reach fails the build here.
 */
class FlinkFreeCompileTest {

    /** The pipeline classes the rule names; whatever they reach in the pipeline is compiled too. */
    private static final List<String> PIPELINE_ROOTS = List.of(
            "io/earshot/pipeline/store",
            "io/earshot/pipeline/api",
            "io/earshot/pipeline/web",
            "io/earshot/pipeline/dashboard",
            "io/earshot/pipeline/config",
            "io/earshot/pipeline/live/LiveIngestRuntime.java",
            "io/earshot/pipeline/live/AnalystServices.java");

    @Test
    void shouldCompileIngestStoreApiDashboardAndConfigurationWithoutFlinkOrTheJobsModule(@TempDir Path out)
            throws IOException {
        List<Path> sources = new ArrayList<>(javaFiles(ingestSources()));
        for (String root : PIPELINE_ROOTS) {
            sources.addAll(javaFiles(pipelineSources().resolve(root)));
        }

        List<String> errors = compile(sources, flinkFreeClasspath(), out);

        assertThat(errors).as("compiling the Flink-free code without Flink and without the jobs module").isEmpty();
        // it compiled the code in question, not an empty set
        assertThat(out.resolve("io/earshot/pipeline/store/StoreWriter.class")).isRegularFile();
        assertThat(out.resolve("io/earshot/pipeline/api/ApiServer.class")).isRegularFile();
        assertThat(out.resolve("io/earshot/pipeline/dashboard/DashboardServer.class")).isRegularFile();
        assertThat(out.resolve("io/earshot/pipeline/config/EarshotConfig.class")).isRegularFile();
        assertThat(out.resolve("io/earshot/pipeline/live/LiveIngestRuntime.class")).isRegularFile();
        assertThat(out.resolve("io/earshot/ingest/protocol/IngestServer.class")).isRegularFile();
        // and none of the embedded runner, which may use Flink
        assertThat(out.resolve("io/earshot/pipeline/live/EmbeddedStack.class")).doesNotExist();
    }

    @Test
    void shouldTakeFlinkAndTheJobsModuleOutOfTheClasspathItCompilesAgainst(@TempDir Path out) throws IOException {
        List<String> full = testClasspath();
        assertThat(full).as("the pipeline's own classpath has Flink and the jobs module (the embedded runner)")
                .anyMatch(FlinkFreeCompileTest::isFlink)
                .anyMatch(FlinkFreeCompileTest::isJobsModule);
        List<String> reduced = flinkFreeClasspath();
        assertThat(reduced).noneMatch(FlinkFreeCompileTest::isFlink).noneMatch(FlinkFreeCompileTest::isJobsModule)
                .anyMatch(e -> e.replace(File.separatorChar, '/').matches(".*(/analysis/target/|earshot-analysis-).*"));

        // the same compilation of code that imports Flink, or the jobs module, fails
        Path src = Files.createDirectories(out.resolve("src/io/earshot/probe"));
        Path flink = Files.writeString(src.resolve("UsesFlink.java"),
                "package io.earshot.probe;\nimport org.apache.flink.util.Collector;\n"
                        + "public class UsesFlink { Collector<String> out; }\n");
        Path jobs = Files.writeString(src.resolve("UsesJobs.java"),
                "package io.earshot.probe;\nimport io.earshot.jobs.calls.KafkaJobConfig;\n"
                        + "public class UsesJobs { KafkaJobConfig config; }\n");
        Path classes = Files.createDirectories(out.resolve("classes"));
        assertThat(compile(List.of(flink), reduced, classes)).anyMatch(e -> e.contains("org.apache.flink.util"));
        assertThat(compile(List.of(jobs), reduced, classes)).anyMatch(e -> e.contains("io.earshot.jobs.calls"));
    }

    /** Errors of compiling the sources, with the rest of the pipeline's main sources on javac's source path. */
    private static List<String> compile(List<Path> sources, List<String> classpath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-implicit:class", "-nowarn",
                    "-d", out.toString(),
                    "-sourcepath", pipelineSources().toString(),
                    "-classpath", String.join(File.pathSeparator, classpath));
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources)).call();
        }
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getMessage(Locale.ROOT))
                .toList();
    }

    /**
     * The pipeline's test classpath without Flink, the jobs module, and the code compiled here
     * from source (the pipeline's and speech-ingest's own classes).
     */
    private static List<String> flinkFreeClasspath() {
        return testClasspath().stream()
                .filter(e -> !isFlink(e) && !isJobsModule(e))
                .filter(e -> !e.replace(File.separatorChar, '/')
                        .matches(".*(/pipeline/target/(test-)?classes|/speech-ingest/target/|earshot-speech-ingest-).*"))
                .toList();
    }

    private static boolean isFlink(String entry) {
        String e = entry.replace(File.separatorChar, '/');
        return e.contains("/org/apache/flink/") || e.substring(e.lastIndexOf('/') + 1).startsWith("flink-");
    }

    private static boolean isJobsModule(String entry) {
        return entry.replace(File.separatorChar, '/').matches(".*(/jobs/target/|earshot-jobs-).*");
    }

    /** Surefire runs the tests from a manifest-only jar and names the real classpath in this property. */
    private static List<String> testClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(cp.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    private static Path pipelineSources() {
        return Path.of(System.getProperty("earshot.sources.pipeline"));
    }

    private static Path ingestSources() {
        return Path.of(System.getProperty("earshot.sources.ingest"));
    }

    private static List<Path> javaFiles(Path fileOrDir) {
        assertThat(fileOrDir).exists();
        try (Stream<Path> walk = Files.walk(fileOrDir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
