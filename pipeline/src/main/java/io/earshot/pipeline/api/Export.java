package io.earshot.pipeline.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exports of list queries as CSV or Parquet, row by row. Columns are the JSON field names (a
 * window's nested {@code listening} counts flattened to their own names).
 * CSV: a header line, RFC 4180 quoting, empty for null, instants in ISO-8601 UTC. Parquet:
 * written by an in-memory DuckDB ({@code COPY ... TO ... (FORMAT parquet)}) into a temporary
 * file that is then streamed, since a Parquet footer can only be written at the end;
 * instants are TIMESTAMP columns in UTC.
 */
public final class Export {

    /** A column's type, mapped to a DuckDB (and so Parquet) type. */
    public enum Type {
        TEXT("VARCHAR", Types.VARCHAR), BIGINT("BIGINT", Types.BIGINT), DOUBLE("DOUBLE", Types.DOUBLE),
        BOOLEAN("BOOLEAN", Types.BOOLEAN), TIMESTAMP("TIMESTAMP", Types.VARCHAR);

        final String duckType;
        final int sqlType;

        Type(String duckType, int sqlType) {
            this.duckType = duckType;
            this.sqlType = sqlType;
        }
    }

    /** One exported column: its name, type and how to read it from a row. */
    public record Column<T>(String name, Type type, Function<T, Object> value) {
    }

    /** The columns of a calls export, in CSV and Parquet order. */
    public static final List<Column<CallRow>> CALL_COLUMNS = List.of(
            new Column<>("callId", Type.TEXT, CallRow::callId),
            new Column<>("agentId", Type.TEXT, CallRow::agentId),
            new Column<>("team", Type.TEXT, CallRow::team),
            new Column<>("queue", Type.TEXT, CallRow::queue),
            new Column<>("mediaStart", Type.TIMESTAMP, CallRow::mediaStart),
            new Column<>("endReason", Type.TEXT, CallRow::endReason),
            new Column<>("durationMs", Type.BIGINT, CallRow::durationMs),
            new Column<>("agentTalkMs", Type.BIGINT, CallRow::agentTalkMs),
            new Column<>("customerTalkMs", Type.BIGINT, CallRow::customerTalkMs),
            new Column<>("overlapMs", Type.BIGINT, CallRow::overlapMs),
            new Column<>("silenceMs", Type.BIGINT, CallRow::silenceMs),
            new Column<>("agentTalkShare", Type.DOUBLE, CallRow::agentTalkShare),
            new Column<>("talkShareLow", Type.DOUBLE, CallRow::talkShareLow),
            new Column<>("talkShareHigh", Type.DOUBLE, CallRow::talkShareHigh),
            new Column<>("agentInterruptions", Type.BIGINT, CallRow::agentInterruptions),
            new Column<>("customerInterruptions", Type.BIGINT, CallRow::customerInterruptions),
            new Column<>("agentInterruptionsPer10Min", Type.DOUBLE, CallRow::agentInterruptionsPer10Min),
            new Column<>("agentBackchannels", Type.BIGINT, CallRow::agentBackchannels),
            new Column<>("customerBackchannels", Type.BIGINT, CallRow::customerBackchannels),
            new Column<>("transfers", Type.BIGINT, CallRow::transfers),
            new Column<>("respectedTransfers", Type.BIGINT, CallRow::respectedTransfers),
            new Column<>("pauseRespectRate", Type.DOUBLE, CallRow::pauseRespectRate),
            new Column<>("meanResponseGapMs", Type.BIGINT, CallRow::meanResponseGapMs),
            new Column<>("pauseIntrusions", Type.BIGINT, CallRow::pauseIntrusions),
            new Column<>("deadAirCount", Type.BIGINT, CallRow::deadAirCount),
            new Column<>("deadAirMs", Type.BIGINT, CallRow::deadAirMs),
            new Column<>("longestAgentMonologueMs", Type.BIGINT, CallRow::longestAgentMonologueMs),
            new Column<>("longestCustomerStoryMs", Type.BIGINT, CallRow::longestCustomerStoryMs),
            new Column<>("listeningScore", Type.DOUBLE, CallRow::listeningScore),
            new Column<>("redaction", Type.TEXT, CallRow::redaction));

    /** The columns of a window-series export. */
    public static final List<Column<WindowPoint>> WINDOW_COLUMNS = List.of(
            new Column<>("windowStart", Type.TIMESTAMP, WindowPoint::windowStart),
            new Column<>("windowEnd", Type.TIMESTAMP, WindowPoint::windowEnd),
            new Column<>("callTimeMs", Type.BIGINT, WindowPoint::callTimeMs),
            new Column<>("agentTalkMs", Type.BIGINT, WindowPoint::agentTalkMs),
            new Column<>("customerTalkMs", Type.BIGINT, WindowPoint::customerTalkMs),
            new Column<>("overlapMs", Type.BIGINT, WindowPoint::overlapMs),
            new Column<>("silenceMs", Type.BIGINT, WindowPoint::silenceMs),
            new Column<>("agentInterruptions", Type.BIGINT, WindowPoint::agentInterruptions),
            new Column<>("agentInterruptionOverlapMs", Type.BIGINT, WindowPoint::agentInterruptionOverlapMs),
            new Column<>("customerInterruptions", Type.BIGINT, WindowPoint::customerInterruptions),
            new Column<>("agentBackchannels", Type.BIGINT, WindowPoint::agentBackchannels),
            new Column<>("customerBackchannels", Type.BIGINT, WindowPoint::customerBackchannels),
            new Column<>("transfers", Type.BIGINT, WindowPoint::transfers),
            new Column<>("respectedTransfers", Type.BIGINT, WindowPoint::respectedTransfers),
            new Column<>("responseGapSumMs", Type.BIGINT, WindowPoint::responseGapSumMs),
            new Column<>("pauseIntrusions", Type.BIGINT, WindowPoint::pauseIntrusions),
            new Column<>("callsEnded", Type.BIGINT, WindowPoint::callsEnded),
            new Column<>("agentTalkShare", Type.DOUBLE, WindowPoint::agentTalkShare),
            new Column<>("agentInterruptionsPer10Min", Type.DOUBLE, WindowPoint::agentInterruptionsPer10Min),
            new Column<>("pauseRespectRate", Type.DOUBLE, WindowPoint::pauseRespectRate),
            new Column<>("meanResponseGapMs", Type.BIGINT, WindowPoint::meanResponseGapMs),
            new Column<>("agentParaphrases", Type.BIGINT, p -> p.listening().agentParaphrases()),
            new Column<>("agentSummaries", Type.BIGINT, p -> p.listening().agentSummaries()),
            new Column<>("agentEmpathy", Type.BIGINT, p -> p.listening().agentEmpathy()),
            new Column<>("agentApologies", Type.BIGINT, p -> p.listening().agentApologies()),
            new Column<>("agentOpenQuestions", Type.BIGINT, p -> p.listening().agentOpenQuestions()),
            new Column<>("agentClarifyingQuestions", Type.BIGINT, p -> p.listening().agentClarifyingQuestions()),
            new Column<>("agentClosedQuestions", Type.BIGINT, p -> p.listening().agentClosedQuestions()),
            new Column<>("agentFollowUps", Type.BIGINT, p -> p.listening().agentFollowUps()),
            new Column<>("agentRaisedVoice", Type.BIGINT, p -> p.listening().agentRaisedVoice()),
            new Column<>("agentMonotone", Type.BIGINT, p -> p.listening().agentMonotone()),
            new Column<>("agentFastSpeech", Type.BIGINT, p -> p.listening().agentFastSpeech()),
            new Column<>("customerRaisedVoice", Type.BIGINT, p -> p.listening().customerRaisedVoice()),
            new Column<>("customerAgitation", Type.BIGINT, p -> p.listening().customerAgitation()),
            new Column<>("listeningScore", Type.DOUBLE, WindowPoint::listeningScore));

    /** Rows inserted into DuckDB per batch. */
    private static final int BATCH = 1024;

    private static final DateTimeFormatter DUCK_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private Export() {
    }

    /** A CSV writer: call {@link Csv#row} per row; the header is written at construction. */
    public static final class Csv<T> implements Consumer<T> {
        private final List<Column<T>> columns;
        private final Writer out;

        public Csv(List<Column<T>> columns, Writer out) throws IOException {
            this.columns = columns;
            this.out = out;
            out.write(columns.stream().map(Column::name).collect(Collectors.joining(",")));
            out.write("\r\n");
        }

        public void row(T row) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    line.append(',');
                }
                line.append(csvField(columns.get(i).value().apply(row)));
            }
            out.write(line.append("\r\n").toString());
        }

        @Override
        public void accept(T row) {
            try {
                row(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * One CSV cell. Text that a spreadsheet would run as a formula (starting with {@code = + - @},
     * a tab or a carriage return) gets a leading apostrophe, as OWASP advises against CSV
     * injection: agent ids, teams, words and call ids come from callers. Numbers keep their sign.
     */
    static String csvField(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (value instanceof CharSequence && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    /**
     * A Parquet writer: rows go into an in-memory DuckDB table; {@link #finishTo} writes the
     * Parquet file and copies it to a stream. Close it in all cases to free the database and
     * the temporary file.
     */
    public static final class Parquet<T> implements Consumer<T>, AutoCloseable {
        private final List<Column<T>> columns;
        private final Connection duck;
        private final PreparedStatement insert;
        private final Path file;
        private int pending;

        public Parquet(List<Column<T>> columns) throws SQLException, IOException {
            this.columns = columns;
            this.file = Files.createTempFile("earshot-export-", ".parquet");
            this.duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("CREATE TABLE export (" + columns.stream().map(c -> '"' + c.name() + "\" " + c.type().duckType)
                        .collect(Collectors.joining(", ")) + ")");
            }
            this.insert = duck.prepareStatement("INSERT INTO export VALUES ("
                    + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")");
        }

        public void row(T row) throws SQLException {
            for (int i = 0; i < columns.size(); i++) {
                Column<T> column = columns.get(i);
                Object value = column.value().apply(row);
                if (value == null) {
                    insert.setNull(i + 1, column.type().sqlType);
                } else if (value instanceof Instant instant) {
                    insert.setString(i + 1, DUCK_TIMESTAMP.format(instant));
                } else {
                    insert.setObject(i + 1, value);
                }
            }
            insert.addBatch();
            if (++pending == BATCH) {
                insert.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void accept(T row) {
            try {
                row(row);
            } catch (SQLException e) {
                throw new IllegalStateException("could not buffer an export row: " + e.getMessage(), e);
            }
        }

        /** Writes the Parquet file and copies it to {@code out}. */
        public void finishTo(OutputStream out) throws SQLException, IOException {
            if (pending > 0) {
                insert.executeBatch();
                pending = 0;
            }
            try (Statement s = duck.createStatement()) {
                // The path is our own temporary file, never request input.
                s.execute("COPY export TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
            }
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws SQLException, IOException {
            try {
                insert.close();
                duck.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
