package io.earshot.pipeline.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launchers' native settings (pipeline/src/main/scripts/native-env.sh), run by the shells
 * that source it: the image's {@code sh} (dash on Debian) and the repository launcher's bash
 * with {@code set -euo pipefail}.
 */
class NativeEnvScriptTest {

    private static final Path SCRIPT = Path.of("src/main/scripts/native-env.sh").toAbsolutePath();
    private static final String ALL = "fpu sse2 avx2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512vbmi";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void shouldPreloadJemallocAndPickTheAvx512KernelsOnACpuWithAllTheirInstructionSets(String shell)
            throws Exception {
        Path lib = lib();

        assertThat(run(shell, cpuinfo(ALL), Map.of(), dir.resolve("absent.so"), lib))
                .isEqualTo(lib + "|SkylakeX");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void shouldLeaveOpenBlasToItselfWhenAnyAvx512SetIsMissing(String shell) throws Exception {
        Path lib = lib();
        for (String missing : new String[] {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"}) {
            String flags = (" " + ALL + " ").replace(" " + missing + " ", " ").trim();
            assertThat(run(shell, cpuinfo(flags), Map.of(), lib)).as(missing).isEqualTo(lib + "|");
        }
        // a longer flag that starts with a needed one is not that one
        String lookalike = ALL.replace("avx512bw ", "avx512bwx ");
        assertThat(run(shell, cpuinfo(lookalike), Map.of(), lib)).isEqualTo(lib + "|");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void shouldRunWithoutJemallocOrACpuDescription(String shell) throws Exception {
        assertThat(run(shell, cpuinfo(ALL), Map.of(), dir.resolve("absent.so"))).isEqualTo("|SkylakeX");
        // an ARM description has no flags line
        Path arm = Files.writeString(dir.resolve("arm"), "processor\t: 0\nFeatures\t: fp asimd\n");
        assertThat(run(shell, arm, Map.of(), dir.resolve("absent.so"))).isEqualTo("|");
        assertThat(run(shell, dir.resolve("no-such-file"), Map.of(), dir.resolve("absent.so"))).isEqualTo("|");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sh", "bash"})
    void shouldKeepWhatTheUserSetAndDoNothingWhenTurnedOff(String shell) throws Exception {
        Path lib = lib();

        assertThat(run(shell, cpuinfo(ALL), Map.of("LD_PRELOAD", "/opt/mine.so", "OPENBLAS_CORETYPE", "Haswell"), lib))
                .isEqualTo("/opt/mine.so|Haswell");
        assertThat(run(shell, cpuinfo(ALL), Map.of("EARSHOT_NATIVE_TUNING", "off"), lib)).isEqualTo("|");
    }

    private Path lib() throws IOException {
        return Files.writeString(dir.resolve("libjemalloc.so.2"), "");
    }

    private Path cpuinfo(String flags) throws IOException {
        return Files.writeString(dir.resolve("cpuinfo-" + Math.abs(flags.hashCode())),
                "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: " + flags + "\nbugs\t\t: sysret_ss_attrs\n"
                        + "processor\t: 1\nflags\t\t: " + flags + "\n");
    }

    /** Sources the script, calls the function with these arguments, and prints the two settings. */
    private String run(String shell, Path cpuinfo, Map<String, String> env, Path... libs) throws Exception {
        StringBuilder call = new StringBuilder(". '" + SCRIPT + "'; earshot_native_env '" + cpuinfo + "'");
        for (Path lib : libs) {
            call.append(" '").append(lib).append('\'');
        }
        call.append("; printf '%s|%s' \"${LD_PRELOAD:-}\" \"${OPENBLAS_CORETYPE:-}\"");
        ProcessBuilder pb = shell.equals("bash")
                ? new ProcessBuilder("bash", "-c", "set -euo pipefail; " + call)
                : new ProcessBuilder("sh", "-eu", "-c", call.toString());
        pb.environment().remove("LD_PRELOAD");
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("EARSHOT_NATIVE_TUNING");
        pb.environment().putAll(env);
        // commands run after the export load the stand-in library, which ld.so refuses on stderr
        Path err = dir.resolve("stderr");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out + Files.readString(err)).isZero();
        return out;
    }
}
