package dev.deploybot.store;

import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseJournalContract;
import org.junit.jupiter.api.AfterEach;

class H2ReleaseJournalTest extends ReleaseJournalContract {
    private final MigratedDatabase database = new MigratedDatabase(MigratedDatabase.Engine.H2) {
    };

    @Override
    protected ReleaseJournal newJournal() throws Exception {
        database.openAndMigrate();
        return new JdbcReleaseJournal(database.dataSource);
    }

    @AfterEach
    void closeDatabase() {
        database.closeDatabase();
    }
}
