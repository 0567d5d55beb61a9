package dev.deploybot.store;

import dev.deploybot.build.BuildLog;
import dev.deploybot.build.BuildRecord;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Optional;

@Singleton
public class JdbcBuildLog implements BuildLog {
    private final Sql sql;

    public JdbcBuildLog(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public boolean recordIfNew(BuildRecord record) {
        try {
            sql.update("""
                    INSERT INTO builds (build_id, environment, project, ref, requester, channel, message_ts, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    record.buildId(), record.environment(), record.project(), record.ref(), record.requester(),
                    record.channel(), record.messageTs(), record.startedAt());
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
    }

    @Override
    public void attachMessage(String buildId, String channel, String messageTs) {
        sql.update("UPDATE builds SET channel = ?, message_ts = ? WHERE build_id = ?", channel, messageTs, buildId);
    }

    @Override
    public Optional<BuildRecord> find(String buildId) {
        return sql.query("SELECT * FROM builds WHERE build_id = ?", row -> new BuildRecord(
                row.getString("build_id"), row.getString("environment"), row.getString("project"),
                row.getString("ref"), row.getString("requester"), row.getString("channel"),
                row.getString("message_ts"), Sql.instant(row, "started_at")), buildId).stream().findFirst();
    }
}
