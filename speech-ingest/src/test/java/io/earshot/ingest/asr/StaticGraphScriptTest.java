package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * speech-ingest/src/main/scripts/static-graph.sh on a model of a few states, composed with the
 * OpenFst tools the build installed for the real model: what it writes into the model, the
 * disambiguation symbols it drops, the cache it reuses, and the cases where it leaves the model
 * alone.
 */
class StaticGraphScriptTest {

    private static final Path SCRIPT = Path.of("src/main/scripts/static-graph.sh").toAbsolutePath();

    /** Input labels 1-3 are transition ids, 4 the disambiguation symbol; outputs are words 1-2. */
    private static final String HCL = """
            0 1 1 1
            1 2 2 0
            2 0 4 0
            0 3 3 2
            3 0 4 0
            0
            """;
    private static final String WORDS = "<eps> 0\nhello 1\nworld 2\n";
    private static final String GRAMMAR = """
            0 0 hello hello 0.5
            0 1 world world 1.0
            1 0 hello hello 0.25
            0 0.0
            """;

    @TempDir
    Path dir;

    @Test
    void shouldWriteAConstantGraphWithoutDisambiguationSymbolsAndTheGrammarsWords() throws Exception {
        Path model = model("m");

        Result r = run(Map.of(), model, dir.resolve("cache"));

        assertThat(r.exit).as(r.err).isZero();
        assertThat(r.err).contains("composing");
        Path hclg = model.resolve("graph/HCLG.fst");
        assertThat(fst("fstinfo", hclg)).contains("const").doesNotContain("vector");
        List<String> arcs = fst("fstprint", hclg).lines().filter(l -> l.split("\t").length >= 4).toList();
        List<String> inputs = arcs.stream().map(l -> l.split("\t")[2]).distinct().sorted().toList();
        List<String> outputs = arcs.stream().map(l -> l.split("\t")[3]).distinct().sorted().toList();
        assertThat(inputs).as(String.join("\n", arcs)).containsExactly("0", "1", "2", "3");
        assertThat(outputs).as(String.join("\n", arcs)).containsExactly("0", "1", "2");
        // "hello" then "world" then "hello" is a path of the grammar: 1 2 4 | 3 4 | 1 2 4 in, 4s gone
        assertThat(arcs).hasSizeGreaterThanOrEqualTo(6);
        assertThat(Files.readAllLines(model.resolve("graph/words.txt")).stream().map(l -> l.split("\\s+")[0]))
                .containsExactly("<eps>", "hello", "world");
        try (Stream<Path> left = Files.list(model.resolve("graph"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    @Test
    void shouldComposeOncePerModelAndLinkTheCachedGraphIntoEachCopy() throws Exception {
        Path cache = dir.resolve("cache");
        Path first = model("first");
        Path second = model("second");

        Result one = run(Map.of(), first, cache);
        Result two = run(Map.of(), second, cache);

        assertThat(one.exit).as(one.err).isZero();
        assertThat(two.exit).as(two.err).isZero();
        assertThat(one.err).contains("composing");
        assertThat(two.err).doesNotContain("composing");
        assertThat(Files.isSameFile(first.resolve("graph/HCLG.fst"), second.resolve("graph/HCLG.fst"))).isTrue();
        try (Stream<Path> cached = Files.list(cache)) {
            assertThat(cached.map(p -> p.getFileName().toString()).toList()).singleElement()
                    .asString().startsWith("static-graph-");
        }

        // another grammar is another model: composed anew, not given the first one's graph
        Path other = model("other");
        Files.writeString(other.resolve("graph/Gr.txt"), GRAMMAR.replace("1.0", "2.0"));
        compileGrammar(other);
        Result three = run(Map.of(), other, cache);
        assertThat(three.err).contains("composing");
        assertThat(Files.isSameFile(first.resolve("graph/HCLG.fst"), other.resolve("graph/HCLG.fst"))).isFalse();
    }

    @Test
    void shouldComposeInsideTheModelWithoutACacheAndLeaveNothingElseThere() throws Exception {
        Path model = model("m");
        List<String> before = listing(model.resolve("graph"));

        Result r = run(Map.of(), model, null);

        assertThat(r.exit).as(r.err).isZero();
        List<String> after = listing(model.resolve("graph"));
        List<String> expected = new ArrayList<>(before);
        expected.add("HCLG.fst");
        expected.add("words.txt");
        assertThat(after).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void shouldLeaveAModelAloneThatHasAStaticGraphOrNoLookaheadGraphOrWhenTurnedOff() throws Exception {
        Path composed = model("composed");
        Path existing = Files.writeString(composed.resolve("graph/HCLG.fst"), "a graph of its own");
        Files.setLastModifiedTime(existing, FileTime.fromMillis(1_000_000_000_000L));
        Result kept = run(Map.of(), composed, dir.resolve("cache"));
        assertThat(kept.exit).isZero();
        assertThat(Files.readString(existing)).isEqualTo("a graph of its own");
        assertThat(Files.getLastModifiedTime(existing).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(composed.resolve("graph/words.txt")).doesNotExist();

        Path bare = Files.createDirectories(dir.resolve("bare/graph"));
        Result nothing = run(Map.of(), bare.getParent(), dir.resolve("cache"));
        assertThat(nothing.exit).isZero();
        assertThat(nothing.err).contains("no lookahead graph");
        assertThat(listing(bare)).isEmpty();

        Path off = model("off");
        List<String> before = listing(off.resolve("graph"));
        Result turnedOff = run(Map.of("EARSHOT_STATIC_GRAPH", "off"), off, dir.resolve("cache"));
        assertThat(turnedOff.exit).isZero();
        assertThat(listing(off.resolve("graph"))).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void shouldRefuseToRunWithoutAModelDirectory() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isNotZero();
        assertThat(err).contains("usage: static-graph.sh MODEL_DIR");
    }

    /** A model directory with a lookahead graph of a few states, compiled with the OpenFst tools. */
    private Path model(String name) throws Exception {
        Path model = dir.resolve(name);
        Path graph = Files.createDirectories(model.resolve("graph"));
        Files.writeString(graph.resolve("HCLr.txt"), HCL);
        tool(graph, "fstcompile", "HCLr.txt", "HCLr.fst");
        Files.writeString(graph.resolve("disambig_tid.int"), "4\n");
        Files.writeString(graph.resolve("Gr.txt"), GRAMMAR);
        compileGrammar(model);
        return model;
    }

    private void compileGrammar(Path model) throws Exception {
        Path graph = model.resolve("graph");
        Files.writeString(graph.resolve("words.syms"), WORDS);
        tool(graph, "fstcompile", "--isymbols=words.syms", "--osymbols=words.syms", "--keep_isymbols",
                "--keep_osymbols", "Gr.txt", "Gr.fst");
        Files.delete(graph.resolve("words.syms"));
    }

    private static void tool(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static String fst(String tool, Path file) throws Exception {
        Process p = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(tool + ": " + out).isZero();
        return out;
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private record Result(int exit, String err) {
    }

    private static Result run(Map<String, String> env, Path model, Path cache) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString(), model.toString()));
        if (cache != null) {
            command.add(cache.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }
}
