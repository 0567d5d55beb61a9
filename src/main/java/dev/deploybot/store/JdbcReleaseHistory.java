package dev.deploybot.store;

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
        String where = environment == null ? "" : " WHERE environment = ?";
        Object[] parameters = environment == null ? new Object[]{limit} : new Object[]{environment, limit};
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : sql.query("SELECT * FROM release_requests" + where + " ORDER BY requested_at DESC, id LIMIT ?",
                row -> {
                    String tags = row.getString("candidate_tags");
                    return new Entry(row.getString("id"), ReleaseRequest.Kind.valueOf(row.getString("kind")),
                            row.getString("environment"), row.getString("candidate_digest"),
                            tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                            row.getString("requester"), List.of(), ReleaseState.valueOf(row.getString("state")),
                            Sql.instant(row, "requested_at"), Sql.instant(row, "decided_at"), Sql.instant(row, "finished_at"),
                            row.getString("failure"), row.getString("channel"), row.getString("message_ts"));
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
