package dev.deploybot.store;

import dev.deploybot.core.SomeoneWaiting;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Who waits briefly for a database still being migrated: whoever answers someone, and no one else. */
class MigrationGatePatienceTest {
    @Test
    void anAnswerSomeoneWaitsForWaitsBrieflyAndOnlyWhileItIsComputed() {
        assertThat(SomeoneWaiting.forTheAnswerOf(MigrationGate::patience)).isEqualTo(MigrationGate.WAIT);
        assertThat(SomeoneWaiting.forTheAnswerOf(() -> SomeoneWaiting.forTheAnswerOf(MigrationGate::patience)))
                .as("nested").isEqualTo(MigrationGate.WAIT);
        Duration afterNested = SomeoneWaiting.forTheAnswerOf(() -> {
            SomeoneWaiting.forTheAnswerOf(() -> "a nested answer");
            return MigrationGate.patience();
        });
        assertThat(afterNested).as("still marked once a nested answer is done").isEqualTo(MigrationGate.WAIT);
        assertThat(MigrationGate.patience()).as("after the answer").isEqualTo(MigrationGate.MAX_WAIT);
    }

    @Test
    void workThatAnswersNobodyWaitsLongEvenWhenHandedOnDuringAnAnswer() {
        ExecutorService lane = Executors.newSingleThreadExecutor();
        try {
            // The lane's thread is created during the answer: it must not keep the mark for the work it runs later.
            Duration handedOn = SomeoneWaiting.forTheAnswerOf(
                    () -> CompletableFuture.supplyAsync(MigrationGate::patience, lane).join());
            Duration later = CompletableFuture.supplyAsync(MigrationGate::patience, lane).join();

            assertThat(handedOn).isEqualTo(MigrationGate.MAX_WAIT);
            assertThat(later).isEqualTo(MigrationGate.MAX_WAIT);
            assertThat(MigrationGate.patience()).as("housekeeping, delivery, the poller").isEqualTo(MigrationGate.MAX_WAIT);
        } finally {
            lane.shutdownNow();
        }
    }
}
