package io.earshot.pipeline.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Liveness and readiness of a process from its components' states and its draining flag. */
class StatusBoardTest {

    private static ComponentStatus status(String name, ComponentStatus.State state) {
        return new ComponentStatus(name, state, 0, null, null, null, Instant.EPOCH);
    }

    @ParameterizedTest
    @CsvSource({
        // state of one component, healthy (alive), ready (takes work)
        "RUNNING,    true,  true",
        "RESTARTING, true,  false",
        "STOPPED,    true,  false",
        "FAILED,     false, false",
    })
    void shouldBeReadyOnlyWhileEveryComponentRunsAndHealthyUnlessOneFailed(ComponentStatus.State state,
            boolean healthy, boolean ready) {
        StatusBoard board = new StatusBoard().add(() -> status("raw-audio", ComponentStatus.State.RUNNING))
                .add(() -> status("store-writer", state));

        assertThat(board.healthy()).isEqualTo(healthy);
        assertThat(board.ready()).isEqualTo(ready);
        assertThat(StatusHandler.renderReady(board).get("ready").asBoolean()).isEqualTo(ready);
    }

    @Test
    void shouldStopBeingReadyButStayHealthyOnceDraining() {
        StatusBoard board = new StatusBoard().add(() -> status("raw-audio", ComponentStatus.State.RUNNING));
        assertThat(board.ready()).isTrue();

        board.startDraining();

        assertThat(board.ready()).isFalse();
        assertThat(board.healthy()).isTrue();
        assertThat(StatusHandler.renderReady(board).get("draining").asBoolean()).isTrue();
        assertThat(StatusHandler.renderReady(board).get("components").get(0).get("state").asText())
                .isEqualTo("running");
    }

    @Test
    void shouldBeReadyWithNoSupervisedComponent() {
        assertThat(new StatusBoard().ready()).isTrue();
    }
}
