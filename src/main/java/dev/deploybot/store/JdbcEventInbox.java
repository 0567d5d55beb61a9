package dev.deploybot.store;

import dev.deploybot.activity.EventInbox;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@Singleton
public class JdbcEventInbox implements EventInbox {
    /** The width of {@code aws_events.last_error}. */
    private static final int LAST_ERROR_LENGTH = 500;
    private final Sql sql;

    public JdbcEventInbox(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Admission admit(ReceivedEvent event) {
        // ON CONFLICT DO NOTHING, not a caught unique violation: PostgreSQL would abort the whole transaction.
        int inserted = sql.update("INSERT INTO aws_events (event_id, detail_type, body, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                event.id(), event.detailType(), event.body(), event.receivedAt());
        if (inserted == 1) {
            return Admission.NEW;
        }
        return known(event.id()).orElse(Admission.UNHANDLED);
    }

    private Optional<Admission> known(String eventId) {
        return sql.query("SELECT handled_at, set_aside_at FROM aws_events WHERE event_id = ?",
                row -> row.getObject(1) != null || row.getObject(2) != null ? Admission.HANDLED : Admission.UNHANDLED,
                eventId).stream().findFirst();
    }

    @Override
    public boolean admitHandled(ReceivedEvent event, String outcome, Instant at) {
        return sql.update("""
                INSERT INTO aws_events (event_id, detail_type, received_at, handled_at, outcome) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", event.id(), event.detailType(), event.receivedAt(), at, outcome) == 1;
    }

    @Override
    public void handled(String eventId, String outcome, Instant at) {
        // The body is only needed until the event is handled; the id stays to recognise redeliveries.
        sql.update("UPDATE aws_events SET handled_at = ?, outcome = ?, body = NULL WHERE event_id = ? AND handled_at IS NULL",
                at, outcome, eventId);
    }

    @Override
    public int failed(String eventId, String error) {
        sql.update("UPDATE aws_events SET attempts = attempts + 1, last_error = ? WHERE event_id = ?",
                cut(error, LAST_ERROR_LENGTH), eventId);
        return sql.query("SELECT attempts FROM aws_events WHERE event_id = ?", row -> row.getInt(1), eventId)
                .stream().findFirst().orElse(0);
    }

    @Override
    public void setAside(String eventId, String body, Instant at) {
        sql.update("UPDATE aws_events SET set_aside_at = ?, body = COALESCE(body, ?) WHERE event_id = ? AND handled_at IS NULL",
                at, body, eventId);
    }

    @Override
    public List<ReceivedEvent> unhandled(Instant receivedBefore, int limit) {
        return sql.query("""
                SELECT event_id, detail_type, body, received_at FROM aws_events
                WHERE handled_at IS NULL AND set_aside_at IS NULL AND body IS NOT NULL AND received_at < ? ORDER BY received_at LIMIT ?""",
                row -> new ReceivedEvent(row.getString("event_id"), row.getString("detail_type"), row.getString("body"),
                        Sql.instant(row, "received_at")), receivedBefore, limit);
    }

    @Override
    public int forgetHandledBefore(Instant cutoff) {
        return sql.update("DELETE FROM aws_events WHERE handled_at IS NOT NULL AND handled_at < ?", cutoff);
    }

    private static String cut(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
