package io.earshot.ingest.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.earshot.ingest.fixtures.FixtureCall;
import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recogniser profiles: names, the model.conf they write, and a model loaded through one. */
class AsrProfileTest {

    private static final Path MODEL = Path.of(System.getProperty("earshot.model"));

    @Test
    void shouldReadProfileNamesInAnyCase() {
        assertThat(AsrProfile.parse("accurate")).isEqualTo(AsrProfile.ACCURATE);
        assertThat(AsrProfile.parse(" Fast ")).isEqualTo(AsrProfile.FAST);
    }

    @Test
    void shouldRecycleFastRecognisersSoonerThanTheDefault() {
        assertThat(AsrProfile.ACCURATE.recycleAfterSeconds()).isEqualTo(RecognizerPool.DEFAULT_RECYCLE_AFTER_SECONDS);
        assertThat(AsrProfile.FAST.recycleAfterSeconds()).isEqualTo(60);
    }

    @Test
    void shouldRefuseAnUnknownProfileNamingTheChoices() {
        assertThatThrownBy(() -> AsrProfile.parse("turbo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'turbo'").hasMessageContaining("accurate, fast");
        assertThatThrownBy(() -> AsrProfile.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReplaceTheModelsSearchSettingsAndKeepTheRest() {
        List<String> conf = AsrProfile.FAST.withOptions(List.of("--min-active=200", "--max-active=3000",
                "--beam=10.0", "--frame-subsampling-factor=3"));

        assertThat(conf).containsExactly("--min-active=200", "--max-active=1000", "--beam=8.0",
                "--frame-subsampling-factor=3", "--lattice-beam=1.0");
    }

    @Test
    void shouldLoadTheModelItselfForTheAccurateProfile() throws IOException {
        assertThat(AsrProfile.ACCURATE.apply(MODEL)).isEqualTo(MODEL);
    }

    @Test
    void shouldWriteTheProfilesConfBesideLinksToTheModelAndDeleteOnlyThatDirectory() throws IOException {
        Path applied = AsrProfile.FAST.apply(MODEL);
        try {
            assertThat(applied).isNotEqualTo(MODEL);
            List<String> conf = Files.readAllLines(applied.resolve("conf/model.conf"));
            assertThat(conf).contains("--beam=8.0", "--max-active=1000", "--lattice-beam=1.0");
            assertThat(conf).doesNotContain("--beam=10.0");
            assertThat(Files.isSymbolicLink(applied.resolve("am"))).isTrue();
            assertThat(applied.resolve("conf/mfcc.conf")).hasSameTextualContentAs(MODEL.resolve("conf/mfcc.conf"));
        } finally {
            AsrProfile.FAST.discard(applied, MODEL);
        }
        assertThat(applied).doesNotExist();
        assertThat(MODEL.resolve("am")).isDirectory();
        assertThat(Files.readAllLines(MODEL.resolve("conf/model.conf"))).contains("--beam=10.0");
    }

    @Test
    void shouldRefuseAModelWithoutAConfForAProfileThatChangesIt(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        assertThatThrownBy(() -> AsrProfile.FAST.apply(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("conf/model.conf");
    }

    @Test
    void shouldTranscribeWithTheFastProfileAndLeaveNoProfileDirectoryBehind() throws IOException {
        FixtureCall call = FixtureCall.all().get(0);
        FixtureCall.TruthUtterance first = call.utterances().stream().filter(u -> u.role() == Role.AGENT)
                .findFirst().orElseThrow();
        int rate = call.audio().sampleRate();
        long from = Math.max(0, first.startMs() - 300);
        short[] region = Arrays.copyOfRange(call.audio().agent(), (int) (from * rate / 1000),
                (int) Math.min(call.audio().agent().length, (first.endMs() + 300) * rate / 1000));
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countProfileDirs(tmp);
        try (VoskTranscriber fast = VoskTranscriber.open(MODEL, 1, 600, AsrProfile.FAST)) {
            List<Utterance> heard = fast.transcribe(Role.AGENT, region, rate, from);
            assertThat(heard).isNotEmpty();
            String text = String.join(" ", heard.stream().map(Utterance::text).toList());
            // the synthetic voice's company name is not in the model's vocabulary; the rest is heard
            assertThat(text).contains("energy").contains("speaking");
            assertThat(heard.get(0).startMs()).isBetween(from, from + 1000);
        }
        assertThat(countProfileDirs(tmp)).isEqualTo(before);
    }

    private static long countProfileDirs(Path tmp) throws IOException {
        try (var entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("earshot-vosk-fast-")).count();
        }
    }
}
