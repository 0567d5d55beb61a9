package dev.deploybot.store;

import dev.deploybot.activity.ActivityJournal;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
public class JdbcActivityJournal implements ActivityJournal {
    private final Sql sql;

    public JdbcActivityJournal(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Optional<Tracked> find(Subject subject) {
        return sql.query("SELECT * FROM activity WHERE subject_key = ?", JdbcActivityJournal::tracked, subject.key())
                .stream().findFirst();
    }

    @Override
    public boolean insert(Tracked t, Instant now) {
        try {
            sql.update("""
                    INSERT INTO activity (subject_key, kind, progress, change_json, version, notified_version, channel,
                        thread_ts, announce, reply_when_done, message_ts, reply_ts, requester, environment, release_id,
                        retryable, attempts, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)""",
                    t.subject().key(), t.subject().kind().name(), t.progress().name(), ChangeJson.write(t.change()),
                    t.version(), t.notifiedVersion(), t.channel(), t.threadTs(), t.announce(), t.replyWhenDone(),
                    t.messageTs(), t.replyTs(), t.requester(), t.environment(), t.releaseId(), t.retryable(), now);
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
    }

    @Override
    public boolean replace(Tracked t, long expectedVersion, Instant now) {
        return sql.update("""
                UPDATE activity SET progress = ?, change_json = ?, version = ?, announce = ?, retryable = ?, updated_at = ?
                WHERE subject_key = ? AND version = ?""",
                t.progress().name(), ChangeJson.write(t.change()), t.version(), t.announce(), t.retryable(), now,
                t.subject().key(), expectedVersion) == 1;
    }

    @Override
    public List<Tracked> due(Instant now, int limit) {
        return sql.query("""
                SELECT * FROM activity
                WHERE (version > notified_version
                       OR (reply_when_done AND progress <> ? AND message_ts IS NOT NULL AND reply_ts IS NULL))
                  AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                  AND (claimed_until IS NULL OR claimed_until < ?)
                ORDER BY updated_at LIMIT ?""", JdbcActivityJournal::tracked, Progress.IN_PROGRESS.name(), now, now, limit);
    }

    @Override
    public boolean claim(Subject subject, String owner, Instant now, Instant until) {
        return sql.update("""
                UPDATE activity SET claimed_by = ?, claimed_until = ?
                WHERE subject_key = ? AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)""",
                owner, until, subject.key(), now, owner) == 1;
    }

    @Override
    public void posted(Subject subject, String messageTs, long version, Instant nextAttemptAt) {
        sql.update("""
                UPDATE activity SET message_ts = ?, notified_version = GREATEST(notified_version, ?), attempts = 0,
                    next_attempt_at = ?
                WHERE subject_key = ?""", messageTs, version, nextAttemptAt, subject.key());
    }

    @Override
    public void notified(Subject subject, long version, Instant nextAttemptAt) {
        sql.update("""
                UPDATE activity SET notified_version = GREATEST(notified_version, ?), attempts = 0, next_attempt_at = ?
                WHERE subject_key = ?""", version, nextAttemptAt, subject.key());
    }

    @Override
    public void replied(Subject subject, String replyTs) {
        sql.update("UPDATE activity SET reply_ts = ?, attempts = 0 WHERE subject_key = ?", replyTs, subject.key());
    }

    @Override
    public void retryLater(Subject subject, Instant retryAt) {
        sql.update("UPDATE activity SET attempts = attempts + 1, next_attempt_at = ? WHERE subject_key = ?",
                retryAt, subject.key());
    }

    @Override
    public void release(Subject subject, String owner) {
        sql.update("UPDATE activity SET claimed_by = NULL, claimed_until = NULL WHERE subject_key = ? AND claimed_by = ?",
                subject.key(), owner);
    }

    @Override
    public int attempts(Subject subject) {
        return sql.query("SELECT attempts FROM activity WHERE subject_key = ?", row -> row.getInt(1), subject.key())
                .stream().findFirst().orElse(0);
    }

    private static Tracked tracked(ResultSet row) throws SQLException {
        Subject subject = Subject.ofKey(row.getString("subject_key"));
        return new Tracked(subject, ChangeJson.read(subject.kind(), row.getString("change_json")),
                row.getLong("version"), row.getLong("notified_version"), row.getString("channel"),
                row.getString("thread_ts"), row.getBoolean("announce"), row.getBoolean("reply_when_done"),
                row.getString("message_ts"), row.getString("reply_ts"), row.getString("requester"),
                row.getString("environment"), row.getString("release_id"), row.getBoolean("retryable"));
    }
}
