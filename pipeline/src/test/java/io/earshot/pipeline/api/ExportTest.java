package io.earshot.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExportTest {

    record Row(String name, Long n, Double x, Instant at) {
    }

    private static final List<Export.Column<Row>> COLUMNS = List.of(
            new Export.Column<>("name", Export.Type.TEXT, Row::name),
            new Export.Column<>("n", Export.Type.BIGINT, Row::n),
            new Export.Column<>("x", Export.Type.DOUBLE, Row::x),
            new Export.Column<>("at", Export.Type.TIMESTAMP, Row::at));

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "plain|plain",
        "a,b|'\"a,b\"'",
        "say \"hi\"|'\"say \"\"hi\"\"\"'",
        "'two\nlines'|'\"two\nlines\"'"})
    void shouldQuoteCsvFieldsOnlyWhenNeeded(String value, String expected) {
        assertThat(Export.csvField(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "=1+2|'=1+2",
        "+1-555-0100|'+1-555-0100",
        "-2+3|'-2+3",
        "@SUM(A1)|'@SUM(A1)",
        "agent=1|agent=1"})
    void shouldNeutraliseTextThatASpreadsheetWouldRunAsAFormula(String value, String expected) {
        assertThat(Export.csvField(value)).isEqualTo(expected);
    }

    @Test
    void shouldKeepTheSignOfNumbersAndNeutraliseTabAndCarriageReturnStarts() {
        assertThat(Export.csvField("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(Export.csvField(-940L)).isEqualTo("-940");
        assertThat(Export.csvField(-0.5)).isEqualTo("-0.5");
        assertThat(Export.csvField("\tcmd")).isEqualTo("'\tcmd");
        assertThat(Export.csvField("\rcmd")).isEqualTo("\"'\rcmd\"");
    }

    @Test
    void shouldWriteCsvWithHeaderEmptyNullsAndIsoInstants() throws Exception {
        StringWriter out = new StringWriter();
        Export.Csv<Row> csv = new Export.Csv<>(COLUMNS, out);
        csv.row(new Row("a,b", 7L, 0.25, Instant.parse("2026-01-05T09:00:00.120Z")));
        csv.row(new Row("c", null, null, null));
        assertThat(out.toString()).isEqualTo("name,n,x,at\r\n\"a,b\",7,0.25,2026-01-05T09:00:00.120Z\r\nc,,,\r\n");
    }

    @Test
    void shouldWriteParquetAcrossInsertBatchesThatReadsBackRowForRow(@TempDir Path dir) throws Exception {
        int rows = 2500; // more than two DuckDB insert batches
        Instant base = Instant.parse("2026-01-05T00:00:00Z");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Export.Parquet<Row> parquet = new Export.Parquet<>(COLUMNS)) {
            IntStream.range(0, rows).forEach(i -> parquet.accept(new Row("r" + i, i % 7 == 0 ? null : (long) i,
                    i / 4.0, base.plusMillis(i * 1500L))));
            parquet.finishTo(bytes);
        }
        Path file = dir.resolve("rows.parquet");
        Files.write(file, bytes.toByteArray());
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement();
                ResultSet rs = s.executeQuery("SELECT name, n, x, epoch_ms(\"at\") FROM read_parquet('" + file
                        + "') ORDER BY x")) {
            int i = 0;
            while (rs.next()) {
                assertThat(rs.getString(1)).isEqualTo("r" + i);
                assertThat(rs.getObject(2)).isEqualTo(i % 7 == 0 ? null : (long) i);
                assertThat(rs.getDouble(3)).isEqualTo(i / 4.0);
                assertThat(rs.getLong(4)).isEqualTo(base.plusMillis(i * 1500L).toEpochMilli());
                i++;
            }
            assertThat(i).isEqualTo(rows);
        }
    }
}
