package dev.deploybot.store;

import dev.deploybot.release.EnvironmentLocks;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.util.Optional;

@Singleton
public class JdbcEnvironmentLocks implements EnvironmentLocks {
    private final Sql sql;

    public JdbcEnvironmentLocks(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public Optional<Lock> lockOf(String environment) {
        return sql.query("SELECT * FROM environment_locks WHERE environment = ?", row -> new Lock(
                row.getString("environment"), row.getString("holder"), row.getString("reason"),
                Sql.instant(row, "locked_at")), environment).stream().findFirst();
    }

    @Override
    public void lock(Lock lock) {
        sql.<Void>inTransaction(transaction -> {
            transaction.update("DELETE FROM environment_locks WHERE environment = ?", lock.environment());
            transaction.update("INSERT INTO environment_locks (environment, holder, reason, locked_at) VALUES (?, ?, ?, ?)",
                    lock.environment(), lock.holder(), lock.reason(), lock.at());
            return null;
        });
    }

    @Override
    public boolean unlock(String environment) {
        return sql.update("DELETE FROM environment_locks WHERE environment = ?", environment) == 1;
    }
}
