package dev.deploybot.store;

import dev.deploybot.activity.ReleaseThreads;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Optional;

/** Reads {@code release_requests} only; the release flow owns that table. */
@Singleton
public class JdbcReleaseThreads implements ReleaseThreads {
    private final Sql sql;

    public JdbcReleaseThreads(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Optional<String> releaseOf(String deploymentId) {
        return sql.query("SELECT id FROM release_requests WHERE deployment_id = ? ORDER BY requested_at DESC LIMIT 1",
                row -> row.getString("id"), deploymentId).stream().findFirst();
    }
}
