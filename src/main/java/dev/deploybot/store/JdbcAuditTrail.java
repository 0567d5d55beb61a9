package dev.deploybot.store;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.List;

@Singleton
public class JdbcAuditTrail implements AuditTrail {
    private final Sql sql;

    public JdbcAuditTrail(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public void append(AuditEntry entry) {
        // AuditEntry already fits every value to the columns' widths (V1__builds_and_audit.sql).
        sql.update("""
                INSERT INTO audit_log (occurred_at, actor, environment, action, outcome, detail)
                VALUES (?, ?, ?, ?, ?, ?)""",
                entry.at(), entry.actor(), entry.environment(), entry.action(), entry.outcome(), entry.detail());
    }

    @Override
    public List<AuditEntry> recent(int limit) {
        return sql.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", row -> new AuditEntry(
                Sql.instant(row, "occurred_at"), row.getString("actor"), row.getString("environment"),
                row.getString("action"), row.getString("outcome"), row.getString("detail")), limit);
    }
}
