package dev.deploybot.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.deploybot.testing.EmbeddedPostgresSupport;
import dev.deploybot.testing.ScratchDirectory;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;

/** A fresh database of either engine the bot supports, migrated like production, for store contracts. */
abstract class MigratedDatabase {
    enum Engine {
        H2, POSTGRES
    }

    private final Engine engine;
    HikariDataSource dataSource;
    private ScratchDirectory h2Files;

    MigratedDatabase(Engine engine) {
        this.engine = engine;
    }

    @BeforeEach
    final void openAndMigrate() throws IOException {
        HikariConfig config = new HikariConfig();
        if (engine == Engine.H2) {
            // The same settings as the embedded default in application.yml.
            h2Files = ScratchDirectory.create("deploybot-store");
            config.setJdbcUrl("jdbc:h2:file:" + h2Files.path().resolve("deploybot")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=500");
            config.setUsername("sa");
        } else {
            config.setJdbcUrl(EmbeddedPostgresSupport.newDatabase());
            config.setUsername(EmbeddedPostgresSupport.user());
        }
        config.setMaximumPoolSize(10);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).target(migratedUpTo()).load().migrate();
    }

    /** The schema version a test starts from; a migration's own test starts before it and calls {@link #migrateAll()}. */
    String migratedUpTo() {
        return "latest";
    }

    final void migrateAll() {
        Flyway.configure().dataSource(dataSource).load().migrate();
    }

    @AfterEach
    final void closeDatabase() {
        dataSource.close();
        if (h2Files != null) {
            h2Files.close();
        }
    }
}
