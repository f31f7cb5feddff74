package io.earshot.pipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A benchmark's child JVM runs on this class path, and what it prints, or how it failed, comes back. */
class ChildJvmTest {

    /** Prints its arguments, one a line, and exits with the status of the last. */
    static final class Echo {
        private Echo() {
        }

        public static void main(String[] args) {
            for (String a : args) {
                System.out.println(a);
            }
            System.exit(Integer.parseInt(args[args.length - 1]));
        }
    }

    @Test
    void shouldReturnTheLinesTheChildPrinted() throws Exception {
        List<String> lines = ChildJvm.run(new ProcessBuilder(ChildJvm.command(List.of(), Echo.class,
                List.of("length 1 0.5", "0"))), "an echo JVM");
        assertThat(lines).containsExactly("length 1 0.5", "0");
    }

    @Test
    void shouldSayWhichChildFailedAndWhatItPrinted() {
        assertThatThrownBy(() -> ChildJvm.run(new ProcessBuilder(ChildJvm.command(List.of(), Echo.class,
                List.of("half done", "3"))), "an echo JVM"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("an echo JVM exited with 3").hasMessageContaining("half done");
    }

    @Test
    void aChildWritingToThisJvmsOutputGivesNoLines() throws Exception {
        assertThat(ChildJvm.run(new ProcessBuilder(ChildJvm.command(List.of(), Echo.class, List.of("0")))
                .inheritIO(), "an echo JVM")).isEmpty();
    }
}
