package dev.deploybot.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Log context fields follow work onto a lane and never stay behind on its thread. */
class LogContextTest {
    private final WorkExecutor.Lane lane = new WorkExecutor.Lane("test-lane", 1, 10, Duration.ofSeconds(1));

    @AfterEach
    void stop() {
        lane.drain();
        MDC.clear();
    }

    @Test
    void workTakesItsSubmittersFieldsAndLeavesNoneForTheNext() throws Exception {
        CompletableFuture<Map<String, String>> first = new CompletableFuture<>();
        try (LogContext context = LogContext.release("r-1", "prd")) {
            lane.execute(() -> first.complete(MDC.getCopyOfContextMap()));
        }
        assertThat(MDC.get(LogContext.RELEASE)).as("closed on the submitting thread").isNull();
        CompletableFuture<Map<String, String>> second = new CompletableFuture<>();
        lane.execute(() -> second.complete(MDC.getCopyOfContextMap()));

        assertThat(first.get()).containsEntry(LogContext.RELEASE, "r-1").containsEntry(LogContext.ENVIRONMENT, "prd");
        assertThat(second.get() == null ? Map.of() : second.get()).doesNotContainKeys(LogContext.RELEASE, LogContext.ENVIRONMENT);
    }

    @Test
    void anInnerContextPutsTheOuterOneBack() {
        try (LogContext outer = LogContext.environment("stg")) {
            try (LogContext inner = LogContext.release("r-2", "prd")) {
                assertThat(MDC.get(LogContext.ENVIRONMENT)).isEqualTo("prd");
            }
            assertThat(MDC.get(LogContext.ENVIRONMENT)).isEqualTo("stg");
            assertThat(MDC.get(LogContext.RELEASE)).isNull();
        }
        assertThat(MDC.get(LogContext.ENVIRONMENT)).isNull();
    }
}
