package dev.deploybot.store;

import dev.deploybot.release.Manifest;
import dev.deploybot.release.PinnedImage;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseJournalContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import static dev.deploybot.release.ReleaseTestData.DIGEST_A;
import static dev.deploybot.release.ReleaseTestData.DIGEST_B;
import static dev.deploybot.release.ReleaseTestData.aRelease;
import static org.assertj.core.api.Assertions.assertThat;

class H2ReleaseJournalTest extends ReleaseJournalContract {
    private final MigratedDatabase database = new MigratedDatabase(MigratedDatabase.Engine.H2) {
    };

    @Override
    protected ReleaseJournal newJournal() throws Exception {
        database.openAndMigrate();
        return new JdbcReleaseJournal(database.dataSource);
    }

    /** Rows written before V10 have no pinned images and plan steps without a repository: they read as one image. */
    @Test
    void aRequestStoredBeforeSeveralImagesReadsAsOneImageOfItsRepository() throws Exception {
        ReleaseJournal journal = new JdbcReleaseJournal(database.dataSource);
        journal.open(aRelease().withId("old").build());
        journal.recordPlan("old", PlanStep.Plan.PROMOTE, List.of(new PlanStep(0, "app", "release", new Manifest(DIGEST_A, "{}", "x"),
                null, false)));
        try (Connection connection = database.dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM release_images WHERE request_id = 'old'");
            statement.executeUpdate("UPDATE promotion_steps SET repository = NULL WHERE request_id = 'old'");
        }

        assertThat(journal.find("old").orElseThrow().ask().images())
                .containsExactly(new PinnedImage("app", Optional.empty(), DIGEST_A, null, DIGEST_B));
        assertThat(journal.plan("old", PlanStep.Plan.PROMOTE)).extracting(PlanStep::repository).containsExactly("app");
    }

    @AfterEach
    void closeDatabase() {
        database.closeDatabase();
    }
}
