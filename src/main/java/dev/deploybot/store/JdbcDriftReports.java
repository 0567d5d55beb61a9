package dev.deploybot.store;

import dev.deploybot.release.DriftReports;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.time.Instant;

@Singleton
public class JdbcDriftReports implements DriftReports {
    private final Sql sql;

    public JdbcDriftReports(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    @Override
    public boolean firstReport(String environment, String releaseDigest, String runningDigest, Instant at) {
        try {
            sql.update("INSERT INTO drift_reports (environment, release_digest, running_digest, reported_at) VALUES (?, ?, ?, ?)",
                    environment, releaseDigest, runningDigest, at);
            return true;
        } catch (StoreFailure failure) {
            if (Sql.isUniqueViolation(failure)) {
                return false;
            }
            throw failure;
        }
    }
}
