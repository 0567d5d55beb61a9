package dev.deploybot.store;

import dev.deploybot.activity.Outbox;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
public class JdbcOutbox implements Outbox {
    private final Sql sql;

    public JdbcOutbox(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public void show(String key, String channel, Content content, Instant now) {
        for (int attempt = 0; attempt < 2; attempt++) {
            // The pacing of the next attempt is left as it is: newer content waits for the same turn.
            if (sql.update("UPDATE outbox_messages SET text = ?, blocks = ?, version = version + 1 WHERE message_key = ?",
                    content.text(), content.blocks(), key) == 1) {
                return;
            }
            try {
                insert(key, channel, null, content, now);
                return;
            } catch (StoreFailure failure) {
                if (!Sql.isUniqueViolation(failure)) {
                    throw failure;
                }
                // Another writer inserted it first: update that row instead.
            }
        }
    }

    @Override
    public void reply(String threadKey, String channel, Content content, Instant now) {
        insert(null, channel, threadKey, content, now);
    }

    private void insert(String key, String channel, String threadKey, Content content, Instant now) {
        sql.update("""
                INSERT INTO outbox_messages (message_key, channel, thread_key, text, blocks, version, delivered_version,
                    attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 1, 0, 0, ?, ?)""", key, channel, threadKey, content.text(), content.blocks(), now, now);
    }

    @Override
    public Optional<String> messageTs(String key) {
        return sql.query("SELECT ts FROM outbox_messages WHERE message_key = ?", row -> row.getString("ts"), key).stream()
                .filter(ts -> ts != null).findFirst();
    }

    @Override
    public List<Letter> due(Instant now, int limit) {
        return sql.query("""
                SELECT o.*, p.ts AS thread_ts FROM outbox_messages o
                LEFT JOIN outbox_messages p ON p.message_key = o.thread_key
                WHERE o.delivered_version < o.version AND o.next_attempt_at <= ?
                  AND (o.claim_until IS NULL OR o.claim_until < ?)
                  AND (o.thread_key IS NULL OR p.ts IS NOT NULL)
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages e WHERE o.thread_key IS NOT NULL
                      AND e.thread_key = o.thread_key AND e.id < o.id AND e.delivered_version < e.version)
                ORDER BY o.id LIMIT ?""",
                row -> new Letter(row.getLong("id"), row.getString("message_key"), row.getString("channel"),
                        row.getString("thread_ts"), row.getString("ts"), new Content(row.getString("text"), row.getString("blocks")),
                        row.getLong("version"), row.getInt("attempts")),
                now, now, limit);
    }

    @Override
    public boolean claim(long id, String owner, Instant now, Instant until) {
        return sql.update("""
                UPDATE outbox_messages SET claim_owner = ?, claim_until = ?
                WHERE id = ? AND (claim_until IS NULL OR claim_until < ? OR claim_owner = ?)""", owner, until, id, now, owner) == 1;
    }

    @Override
    public void delivered(long id, long version, String ts, Instant next) {
        sql.update("""
                UPDATE outbox_messages SET ts = COALESCE(ts, ?), delivered_version = GREATEST(delivered_version, ?),
                    attempts = 0, next_attempt_at = ? WHERE id = ?""", ts, version, next, id);
    }

    @Override
    public void retryLater(long id, Instant at) {
        sql.update("UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?", at, id);
    }

    @Override
    public void abandon(long id, long version) {
        sql.update("UPDATE outbox_messages SET delivered_version = GREATEST(delivered_version, ?), attempts = 0 WHERE id = ?",
                version, id);
    }

    @Override
    public long backlog() {
        return sql.query("SELECT COUNT(*) AS backlog FROM outbox_messages WHERE delivered_version < version",
                row -> row.getLong("backlog")).get(0);
    }

    @Override
    public void release(long id, String owner) {
        sql.update("UPDATE outbox_messages SET claim_owner = NULL, claim_until = NULL WHERE id = ? AND claim_owner = ?", id, owner);
    }
}
