package dev.deploybot.store;

import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.release.ReleaseHistory;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads {@code release_requests} and {@code release_approvals} only; the release flow owns those tables. */
@Singleton
public class JdbcReleaseHistory implements ReleaseHistory {
    private final Sql sql;

    public JdbcReleaseHistory(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public List<Entry> latest(String environment, int limit) {
        String where = environment == null ? "" : " WHERE r.environment = ?";
        Object[] parameters = environment == null ? new Object[]{ReleaseThreads.KEY_PREFIX, limit}
                : new Object[]{ReleaseThreads.KEY_PREFIX, environment, limit};
        List<Entry> entries = new ArrayList<>();
        // The request's message is the outbox's, keyed by the release id.
        for (Entry entry : sql.query("SELECT r.*, m.channel AS outbox_channel, m.ts AS outbox_ts FROM release_requests r"
                        + " LEFT JOIN outbox_messages m ON m.message_key = CONCAT(?, r.id)" + where
                        + " ORDER BY r.requested_at DESC, r.id LIMIT ?",
                row -> {
                    String tags = row.getString("candidate_tags");
                    return new Entry(row.getString("id"), ReleaseRequest.Kind.valueOf(row.getString("kind")),
                            row.getString("environment"), row.getString("candidate_digest"),
                            tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                            row.getString("requester"), List.of(), ReleaseState.valueOf(row.getString("state")),
                            Sql.instant(row, "requested_at"), Sql.instant(row, "decided_at"), Sql.instant(row, "finished_at"),
                            row.getString("failure"), row.getString("outbox_channel"), row.getString("outbox_ts"));
                }, parameters)) {
            List<String> approvers = sql.query("SELECT approver FROM release_approvals WHERE request_id = ? ORDER BY approved_at",
                    row -> row.getString(1), entry.id());
            entries.add(new Entry(entry.id(), entry.kind(), entry.environment(), entry.digest(), entry.tags(),
                    entry.requester(), approvers, entry.state(), entry.requestedAt(), entry.decidedAt(), entry.finishedAt(),
                    entry.failure(), entry.channel(), entry.messageTs()));
        }
        return entries;
    }
}
