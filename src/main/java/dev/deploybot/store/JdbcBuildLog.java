package dev.deploybot.store;

import dev.deploybot.core.BuildLog;
import dev.deploybot.core.BuildRecord;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;

@Singleton
public class JdbcBuildLog implements BuildLog {
    private static final String RUNNING = "IN_PROGRESS";
    private final Sql sql;

    public JdbcBuildLog(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public boolean recordIfNew(BuildRecord record) {
        try {
            sql.update("""
                    INSERT INTO builds (build_id, environment, project, ref, requester, channel, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""",
                    record.buildId(), record.environment(), record.project(), record.ref(), record.requester(),
                    record.channel(), record.startedAt());
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
    }

    @Override
    public Optional<BuildRecord> find(String buildId) {
        return sql.query("SELECT * FROM builds WHERE build_id = ?", row -> new BuildRecord(
                row.getString("build_id"), row.getString("environment"), row.getString("project"),
                row.getString("ref"), row.getString("requester"), row.getString("channel"),
                Sql.instant(row, "started_at")), buildId).stream().findFirst();
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
