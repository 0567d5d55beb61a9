package dev.deploybot.store;

import dev.deploybot.activity.ActivityJournal;
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
                    INSERT INTO activity (subject_key, kind, progress, change_json, version, notified_version, pending,
                        channel, announce, reply_when_done, replied, requester, environment, retryable, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    t.subject().key(), t.subject().kind().name(), t.progress().name(), ChangeJson.write(t.change()),
                    t.version(), t.toldVersion(), t.behind(), t.channel(), t.announce(), t.replyWhenDone(), t.replied(),
                    t.requester(), t.environment(), t.retryable(), now);
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
                UPDATE activity SET progress = ?, change_json = ?, version = ?, notified_version = GREATEST(notified_version, ?),
                    pending = (? > GREATEST(notified_version, ?)), replied = (replied OR ?), announce = ?, retryable = ?, updated_at = ?
                WHERE subject_key = ? AND version = ?""",
                t.progress().name(), ChangeJson.write(t.change()), t.version(), t.toldVersion(), t.version(), t.toldVersion(),
                t.replied(), t.announce(), t.retryable(), now, t.subject().key(), expectedVersion) == 1;
    }

    @Override
    public List<Tracked> due(Instant now, int limit) {
        return sql.query("""
                SELECT * FROM activity
                WHERE pending = TRUE AND (claimed_until IS NULL OR claimed_until < ?)
                ORDER BY pending, updated_at LIMIT ?""", JdbcActivityJournal::tracked, now, limit); // the index's order: read in order, stopped at the limit
    }

    @Override
    public boolean claim(Subject subject, String owner, Instant now, Instant until) {
        return sql.update("""
                UPDATE activity SET claimed_by = ?, claimed_until = ?
                WHERE subject_key = ? AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)""",
                owner, until, subject.key(), now, owner) == 1;
    }

    @Override
    public void told(Subject subject, long version, boolean replied) {
        sql.update("""
                UPDATE activity SET notified_version = GREATEST(notified_version, ?), pending = (version > GREATEST(notified_version, ?)),
                    replied = (replied OR ?)
                WHERE subject_key = ?""", version, version, replied, subject.key());
    }

    @Override
    public void release(Subject subject, String owner) {
        sql.update("UPDATE activity SET claimed_by = NULL, claimed_until = NULL WHERE subject_key = ? AND claimed_by = ?",
                subject.key(), owner);
    }

    private static Tracked tracked(ResultSet row) throws SQLException {
        Subject subject = Subject.ofKey(row.getString("subject_key"));
        return new Tracked(subject, ChangeJson.read(subject.kind(), row.getString("change_json")),
                row.getLong("version"), row.getLong("notified_version"), row.getString("channel"),
                row.getBoolean("announce"), row.getBoolean("reply_when_done"), row.getBoolean("replied"),
                row.getString("requester"), row.getString("environment"), row.getBoolean("retryable"));
    }
}
