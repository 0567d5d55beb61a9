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
    public Optional<ReleaseThread> forDeployment(String deploymentId) {
        return sql.query("""
                SELECT r.id, r.environment, m.channel, m.ts FROM release_requests r
                LEFT JOIN outbox_messages m ON m.message_key = CONCAT(?, r.id)
                WHERE r.deployment_id = ? ORDER BY r.requested_at DESC LIMIT 1""",
                row -> new ReleaseThread(row.getString("id"), row.getString("environment"), row.getString("channel"),
                        row.getString("ts")), ReleaseThreads.KEY_PREFIX, deploymentId).stream().findFirst();
    }
}
