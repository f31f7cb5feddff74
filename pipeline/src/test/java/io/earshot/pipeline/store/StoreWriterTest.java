package io.earshot.pipeline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StoreWriterTest {

    /** Which database failures make the writer retry the poll, and which skip the one record. */
    @ParameterizedTest(name = "SQLSTATE {0}: database unavailable {1}")
    @CsvSource(nullValues = "none", value = {
            "08006, true",   // connection failure
            "08001, true",   // cannot connect
            "57P01, true",   // admin shutdown
            "53100, true",   // disk full
            "40001, true",   // serialization failure
            "none,  true",   // the driver's own I/O failure, no state
            "23502, false",  // not-null violation: the record's fault
            "23505, false",  // unique violation
            "22003, false",  // numeric value out of range
            "22P02, false",  // invalid text representation
    })
    void shouldRetryOnlyWhenTheDatabaseIsUnavailable(String sqlState, boolean unavailable) {
        assertThat(StoreWriter.isUnavailable(new SQLException("failed", sqlState))).isEqualTo(unavailable);
    }
}
