package dev.deploybot.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class H2ActivityStoreTest extends ActivityStoreContract {
    @TempDir
    Path directory;

    @Override
    String jdbcUrl() {
        return "jdbc:h2:file:" + directory.resolve("deploybot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    @Override
    String user() {
        return "sa";
    }
}
