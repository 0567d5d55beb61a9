package dev.deploybot.store;

import dev.deploybot.activity.AlarmLog;
import dev.deploybot.activity.AlarmStateChanged;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Optional;

@Singleton
public class JdbcAlarmLog implements AlarmLog {
    private static final int REASON_LENGTH = 1024;
    private final Sql sql;

    public JdbcAlarmLog(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public boolean record(AlarmStateChanged change) {
        String reason = change.reason() == null || change.reason().length() <= REASON_LENGTH ? change.reason()
                : change.reason().substring(0, REASON_LENGTH);
        // Update-then-insert works the same on H2 and PostgreSQL; a racing insert of the same alarm loses on the
        // primary key and falls back to the conditional update.
        if (newer(change, reason)) {
            return true;
        }
        try {
            sql.update("INSERT INTO alarm_states (alarm_name, state, reason, changed_at) VALUES (?, ?, ?, ?)",
                    change.alarmName(), change.state(), reason, change.occurredAt());
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return newer(change, reason);
            }
            throw failure;
        }
    }

    private boolean newer(AlarmStateChanged change, String reason) {
        return sql.update("UPDATE alarm_states SET state = ?, reason = ?, changed_at = ? WHERE alarm_name = ? AND changed_at < ?",
                change.state(), reason, change.occurredAt(), change.alarmName(), change.occurredAt()) > 0;
    }

    @Override
    public Optional<AlarmStateChanged> latest(String alarmName) {
        return sql.query("SELECT alarm_name, state, reason, changed_at FROM alarm_states WHERE alarm_name = ?",
                row -> new AlarmStateChanged(row.getString("alarm_name"), row.getString("state"), row.getString("reason"),
                        Sql.instant(row, "changed_at")), alarmName).stream().findFirst();
    }
}
