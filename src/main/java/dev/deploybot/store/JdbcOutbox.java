package dev.deploybot.store;

import dev.deploybot.activity.Outbox;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

@Singleton
public class JdbcOutbox implements Outbox {
    private final Sql sql;
    /** Channels known to be in {@code outbox_channels} already. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public JdbcOutbox(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public void show(String key, String channel, Content content, Instant now) {
        // ON CONFLICT DO NOTHING, not a caught unique violation: PostgreSQL would abort the caller's unit of work.
        // When another writer inserted the key first, its row is updated instead.
        if (update(key, content) || insert(key, channel, null, content, now) || update(key, content)) {
            return;
        }
        throw new IllegalStateException("message " + key + " was neither updated nor inserted");
    }

    /** The insert first: a miss of the update costs a lookup of a key in an index as large as the outbox. */
    @Override
    public void showFirst(String key, String channel, Content content, Instant now) {
        if (insert(key, channel, null, content, now) || update(key, content)) {
            return;
        }
        throw new IllegalStateException("message " + key + " was neither inserted nor updated");
    }

    /** The pacing of the next attempt is left as it is: newer content waits for the same turn. */
    private boolean update(String key, Content content) {
        return sql.update("UPDATE outbox_messages SET text = ?, blocks = ?, version = version + 1, pending = TRUE WHERE message_key = ?",
                content.text(), content.blocks(), key) == 1;
    }

    @Override
    public void reply(String threadKey, String channel, Content content, Instant now) {
        insert(null, channel, threadKey, content, now);
    }

    private boolean insert(String key, String channel, String threadKey, Content content, Instant now) {
        register(channel);
        return sql.update("""
                INSERT INTO outbox_messages (message_key, channel, thread_key, text, blocks, version, delivered_version,
                    pending, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, 1, 0, TRUE, 0, ?, ?) ON CONFLICT DO NOTHING""",
                key, channel, threadKey, content.text(), content.blocks(), now, now) == 1;
    }

    /**
     * Once per channel and process, committed on its own before the letter (so it holds even when the caller's unit
     * of work is rolled back and this process remembers it): the table is tiny and only grows by a channel the
     * configuration names.
     */
    private void register(String channel) {
        if (!registered.contains(channel)) {
            sql.updateOnItsOwn("INSERT INTO outbox_channels (channel) VALUES (?) ON CONFLICT DO NOTHING", channel);
            registered.add(channel);
        }
    }

    @Override
    public Optional<String> messageTs(String key) {
        return sql.query("SELECT ts FROM outbox_messages WHERE message_key = ?", row -> row.getString("ts"), key).stream()
                .filter(ts -> ts != null).findFirst();
    }

    @Override
    public List<Letter> due(Instant now, int perChannel) {
        List<Letter> due = new ArrayList<>();
        for (String channel : sql.query("SELECT channel FROM outbox_channels ORDER BY channel", row -> row.getString("channel"))) {
            due.addAll(due(channel, now, perChannel));
        }
        return due;
    }

    /**
     * The channel's oldest letters through the pending index, in its order (H2 reads the index in order, and
     * stops at the limit, only when ORDER BY names its columns from the first): {@code limit} rows, however
     * long the channel's backlog. A reply waits for its message to be posted and for the replies before it.
     */
    private List<Letter> due(String channel, Instant now, int limit) {
        return sql.query("""
                SELECT o.*, (SELECT p.ts FROM outbox_messages p WHERE p.message_key = o.thread_key) AS thread_ts
                FROM outbox_messages o
                WHERE o.pending = TRUE AND o.channel = ? AND o.next_attempt_at <= ?
                  AND (o.claim_until IS NULL OR o.claim_until < ?)
                  AND (o.thread_key IS NULL
                       OR EXISTS (SELECT 1 FROM outbox_messages p WHERE p.message_key = o.thread_key AND p.ts IS NOT NULL)
                          AND NOT EXISTS (SELECT 1 FROM outbox_messages e
                              WHERE e.thread_key = o.thread_key AND e.id < o.id AND e.pending = TRUE))
                ORDER BY o.pending, o.channel, o.id LIMIT ?""",
                row -> new Letter(row.getLong("id"), row.getString("message_key"), row.getString("channel"),
                        row.getString("thread_ts"), row.getString("ts"), new Content(row.getString("text"), row.getString("blocks")),
                        row.getLong("version"), row.getInt("attempts")),
                channel, now, now, limit);
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
                    pending = (version > GREATEST(delivered_version, ?)), attempts = 0, next_attempt_at = ? WHERE id = ?""",
                ts, version, version, next, id);
    }

    @Override
    public void retryLater(long id, Instant at) {
        sql.update("UPDATE outbox_messages SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?", at, id);
    }

    @Override
    public void abandon(long id, long version) {
        sql.update("""
                UPDATE outbox_messages SET delivered_version = GREATEST(delivered_version, ?),
                    pending = (version > GREATEST(delivered_version, ?)), attempts = 0 WHERE id = ?""", version, version, id);
    }

    @Override
    public long backlog() {
        return sql.query("SELECT COUNT(*) AS backlog FROM outbox_messages WHERE pending = TRUE",
                row -> row.getLong("backlog")).get(0);
    }

    @Override
    public void release(long id, String owner) {
        sql.update("UPDATE outbox_messages SET claim_owner = NULL, claim_until = NULL WHERE id = ? AND claim_owner = ?", id, owner);
    }
}
