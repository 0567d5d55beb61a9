package dev.deploybot.store;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.BuildRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The same behaviour, asserted against every database the bot supports. */
abstract class StoreContract extends MigratedDatabase {
    static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    JdbcBuildLog builds;
    JdbcAuditTrail audit;

    StoreContract(Engine engine) {
        super(engine);
    }

    @BeforeEach
    void adapters() {
        builds = new JdbcBuildLog(dataSource);
        audit = new JdbcAuditTrail(dataSource);
    }

    @Test
    void aBuildIsRecordedOnce() {
        BuildRecord record = new BuildRecord("app-stg:1", "stg", "app-stg", "main", "U1", "C1", NOW);
        assertThat(builds.recordIfNew(record)).isTrue();
        assertThat(builds.recordIfNew(record)).isFalse();
        assertThat(builds.find("app-stg:1")).contains(record);
        assertThat(builds.find("nope")).isEmpty();
    }

    @Test
    void theAuditLogKeepsEntriesNewestFirst() {
        audit.append(new AuditEntry(NOW, "U1", "stg", "build", "started", "first"));
        audit.append(new AuditEntry(NOW.plusSeconds(1), "U2", "prd", "release", "approved", "second"));
        assertThat(audit.recent(10)).extracting(AuditEntry::detail).containsExactly("second", "first");
        assertThat(audit.recent(1).get(0).at()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void locksSurviveUntilLifted() {
        JdbcEnvironmentLocks locks = new JdbcEnvironmentLocks(dataSource);
        assertThat(locks.lockOf("prd")).isEmpty();
        locks.lock(new dev.deploybot.release.EnvironmentLocks.Lock("prd", "U1", "rolled back", NOW));
        locks.lock(new dev.deploybot.release.EnvironmentLocks.Lock("prd", "U2", "freeze", NOW.plusSeconds(1)));
        assertThat(locks.lockOf("prd")).map(dev.deploybot.release.EnvironmentLocks.Lock::reason).contains("freeze");
        assertThat(locks.unlock("prd")).isTrue();
        assertThat(locks.unlock("prd")).isFalse();
        assertThat(locks.lockOf("prd")).isEmpty();
    }
}
