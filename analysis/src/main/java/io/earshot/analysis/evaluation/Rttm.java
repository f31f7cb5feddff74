package io.earshot.analysis.evaluation;

import io.earshot.schemas.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Who spoke when, in RTTM (the NIST Rich Transcription Time Marked format diarization tools
 * read and write): one {@code SPEAKER} line per speech segment,
 * {@code SPEAKER <file> <channel> <onset s> <duration s> <NA> <NA> <speaker> <NA> <NA>}.
 *
 * <p>One RTTM file holds one call. Its file id is not matched to Earshot's call id (recordings
 * are named differently in every labelling tool), but all its {@code SPEAKER} lines must name
 * the same file id, so an RTTM covering several recordings is refused rather than merged into
 * one call. The channel column is ignored. Speakers map to roles by name: by default
 * {@code agent} and {@code customer} (any case); with an explicit mapping only its names
 * (any case). Other RTTM line types ({@code SPKR-INFO}, {@code LEXEME}, ...), blank lines and
 * {@code ;;} comments are skipped. Times are rounded to whole milliseconds.
 *
 * <p>Malformed input fails with an {@link IOException} whose message starts with
 * {@code file:line:}.
 */
public final class Rttm {

    /** The line types RTTM defines; all but {@code SPEAKER} carry nothing about who speaks when. */
    private static final Set<String> OTHER_TYPES = Set.of("SEGMENT", "NOSCORE", "NO_RT_METADATA", "LEXEME", "NON-LEX",
            "NON-SPEECH", "FILLER", "EDIT", "IP", "SU", "CB", "A/P", "SPKR-INFO");

    private Rttm() {
    }

    /** Reads a file with the default speaker names {@code agent} and {@code customer}. */
    public static List<TruthSegment> read(Path file) throws IOException {
        return read(file, Map.of());
    }

    /**
     * @param speakers speaker name to role; empty for the default names
     */
    public static List<TruthSegment> read(Path file, Map<String, Role> speakers) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not an RTTM file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not a text file (RTTM is UTF-8 text)");
        }
        return parse(text, file.toString(), speakers);
    }

    /**
     * @param source   names the text in error messages (its file)
     * @param speakers speaker name to role; empty for the default names
     */
    public static List<TruthSegment> parse(String text, String source, Map<String, Role> speakers) throws IOException {
        Map<String, Role> roles = roles(speakers);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write
        }
        List<TruthSegment> segments = new ArrayList<>();
        String fileId = null;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 1; n <= lines.length; n++) {
            String line = lines[n - 1].strip();
            if (line.isEmpty() || line.startsWith(";;")) {
                continue;
            }
            String where = source + ":" + n + ": ";
            String[] f = line.split("\\s+");
            if (!"SPEAKER".equals(f[0])) {
                if (OTHER_TYPES.contains(f[0])) {
                    continue;
                }
                throw new IOException(where + "unknown RTTM line type \"" + f[0] + "\" (expected SPEAKER <file> <channel> "
                        + "<onset s> <duration s> <NA> <NA> <speaker> <NA> <NA>)");
            }
            if (f.length < 8) {
                throw new IOException(where + "a SPEAKER line needs at least 8 fields (SPEAKER <file> <channel> "
                        + "<onset s> <duration s> <NA> <NA> <speaker>), found " + f.length);
            }
            if (fileId == null) {
                fileId = f[1];
            } else if (!fileId.equals(f[1])) {
                throw new IOException(where + "file id \"" + f[1] + "\" differs from \"" + fileId
                        + "\" above: give one RTTM file per call");
            }
            double onset = seconds(f[3], "onset", where);
            double duration = seconds(f[4], "duration", where);
            Role role = roles.get(f[7].toLowerCase(Locale.ROOT));
            if (role == null) {
                throw new IOException(where + "speaker \"" + f[7] + "\" is neither agent nor customer (known names: "
                        + String.join(", ", new java.util.TreeSet<>(roles.keySet())) + ")");
            }
            long start = Math.round(onset * 1000);
            segments.add(new TruthSegment(role, start, start + Math.round(duration * 1000)));
        }
        return segments;
    }

    /** The segments as RTTM text, speakers named {@code agent} and {@code customer}, times to the millisecond. */
    public static String write(String fileId, List<TruthSegment> segments) {
        if (fileId.isBlank() || fileId.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("an RTTM file id has no blanks: \"" + fileId + "\"");
        }
        StringBuilder b = new StringBuilder();
        for (TruthSegment s : segments) {
            b.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n", fileId,
                    s.startMs() / 1000.0, s.durationMs() / 1000.0, s.role().name().toLowerCase(Locale.ROOT)));
        }
        return b.toString();
    }

    public static void write(Path file, String fileId, List<TruthSegment> segments) throws IOException {
        Files.writeString(file, write(fileId, segments), StandardCharsets.UTF_8);
    }

    private static Map<String, Role> roles(Map<String, Role> speakers) {
        Map<String, Role> roles = new LinkedHashMap<>();
        if (speakers.isEmpty()) {
            roles.put("agent", Role.AGENT);
            roles.put("customer", Role.CUSTOMER);
        } else {
            speakers.forEach((name, role) -> roles.put(name.toLowerCase(Locale.ROOT), role));
        }
        return roles;
    }

    private static double seconds(String field, String what, String where) throws IOException {
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new IOException(where + what + " \"" + field + "\" is not a number of seconds");
        }
        if (!Double.isFinite(v) || v < 0) {
            throw new IOException(where + what + " " + field + " s must be a finite number of seconds, at least 0");
        }
        return v;
    }
}
