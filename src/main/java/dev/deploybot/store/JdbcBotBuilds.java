package dev.deploybot.store;

import dev.deploybot.activity.BotBuilds;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

/** The {@code builds} table as the activity feature sees it: whose build, which message, finished or not. */
@Singleton
public class JdbcBotBuilds implements BotBuilds {
    private static final String RUNNING = "IN_PROGRESS";
    private final Sql sql;

    public JdbcBotBuilds(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Optional<BotBuild> find(String buildId) {
        return sql.query("SELECT build_id, environment, ref, requester, channel, message_ts FROM builds WHERE build_id = ?",
                row -> new BotBuild(row.getString("build_id"), row.getString("environment"), row.getString("ref"),
                        row.getString("requester"), row.getString("channel"), row.getString("message_ts")), buildId)
                .stream().findFirst();
    }

    @Override
    public void finished(String buildId, String status) {
        // Conditional: the first final status wins, whether it came from an event or from the reconciler.
        sql.update("UPDATE builds SET status = ? WHERE build_id = ? AND status = ?", status, buildId, RUNNING);
    }

    @Override
    public List<String> unfinished(int limit) {
        return sql.query("SELECT build_id FROM builds WHERE status = ? ORDER BY started_at LIMIT ?",
                row -> row.getString(1), RUNNING, limit);
    }
}
