package dev.deploybot.activity;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.Progress;
import dev.deploybot.store.JdbcActivityJournal;
import dev.deploybot.store.JdbcAlarmLog;
import dev.deploybot.store.JdbcBuildLog;
import dev.deploybot.store.JdbcReleaseThreads;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Where changes go and what they may change, against the real store on H2. */
class RecordChangeTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String DIGEST = "sha256:" + "d".repeat(64);
    @TempDir
    Path directory;
    private HikariDataSource dataSource;
    private JdbcActivityJournal journal;

    @BeforeEach
    void migrate() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("deploybot")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=500");
        config.setUsername("sa");
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).load().migrate();
        journal = new JdbcActivityJournal(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void aPushOfAnEnvironmentsSourceTagIsOfferedForReleaseOncePerDigest() {
        RecordChange record = recordChange(new Routing(List.of(), true));
        ImagePushed pushed = new ImagePushed("team/app", "latest", DIGEST, NOW);

        assertThat(record.record(pushed)).isInstanceOfSatisfying(RecordChange.Recorded.class,
                recorded -> assertThat(recorded.subjects()).containsExactly(imageOf("prd")));
        Tracked tracked = journal.find(imageOf("prd")).orElseThrow();
        assertThat(tracked.channel()).isEqualTo("C0PRD");
        assertThat(tracked.environment()).isEqualTo("prd");
        assertThat(tracked.announce()).isTrue();

        assertThat(record.record(new ImagePushed("team/app", "latest", DIGEST, NOW.plusSeconds(5))))
                .isInstanceOf(RecordChange.Stale.class);
        assertThat(record.record(new ImagePushed("team/app", "git-abc1234", DIGEST, NOW)))
                .as("not the source tag").isInstanceOf(RecordChange.Unrouted.class);
        assertThat(recordChange(Routing.none()).record(new ImagePushed("team/app", "latest", "sha256:" + "e".repeat(64), NOW)))
                .as("announcements are off by default").isInstanceOf(RecordChange.Unrouted.class);
    }

    @Test
    void anUnroutedBuildOfAnEnvironmentsProjectPostsOnlyItsFailureThere() {
        RecordChange record = recordChange(Routing.none());
        Subject subject = Subject.build("app-stg:1");

        record.record(build("app-stg:1", "app-stg", "IN_PROGRESS", NOW));
        assertThat(journal.find(subject).orElseThrow().announce()).as("a start is not news there").isFalse();
        record.record(build("app-stg:1", "app-stg", "FAILED", NOW.plusSeconds(60)));
        Tracked failed = journal.find(subject).orElseThrow();
        assertThat(failed.announce()).isTrue();
        assertThat(failed.channel()).isEqualTo("C0STG");
        assertThat(failed.retryable()).as("stg has approvers through its release settings").isTrue();
        assertThat(failed.version()).isEqualTo(2);

        assertThat(record.record(build("app-stg:1", "app-stg", "IN_PROGRESS", NOW.plusSeconds(90))))
                .isEqualTo(new RecordChange.Stale(subject, Progress.FAILED));
        assertThat(record.record(build("other:1", "other", "FAILED", NOW))).isInstanceOf(RecordChange.Unrouted.class);
    }

    @Test
    void theSameNewsToldAgainChangesNothing() {
        Route route = new Route("ci", new Route.CodeBuildProject("app-ci"), "C0CI", Set.of(Progress.IN_PROGRESS));
        RecordChange record = recordChange(new Routing(List.of(route), false));
        record.record(build("app-ci:1", "app-ci", "IN_PROGRESS", NOW));
        assertThat(record.record(build("app-ci:1", "app-ci", "IN_PROGRESS", NOW.plusSeconds(1))))
                .isInstanceOf(RecordChange.Unchanged.class);
        assertThat(journal.find(Subject.build("app-ci:1")).orElseThrow().version()).isEqualTo(1);
    }

    private RecordChange recordChange(Routing routing) {
        Environment.ReleaseSettings release = new Environment.ReleaseSettings("team/app", "latest",
                List.of("release", "release-1gen"), List.of("U0APPROVER"), 1, false, Duration.ofMinutes(30),
                Optional.empty(), "^git-[0-9a-f]{7}$", Environment.RollbackPolicy.SAFE, true);
        Environments environments = new Environments(List.of(
                new Environment("prd", "C0PRD", List.of(), Optional.empty(), Optional.of(release), Optional.empty()),
                new Environment("stg", "C0STG", List.of(), Optional.of(new Environment.BuildSettings("app-stg", "main")),
                        Optional.of(new Environment.ReleaseSettings("team/app-stg", "latest", List.of("release"),
                                List.of("U0APPROVER"), 1, false, Duration.ofMinutes(30), Optional.empty(), ".*",
                                Environment.RollbackPolicy.SAFE, true)),
                        Optional.empty())));
        return new RecordChange(journal, new JdbcBuildLog(dataSource), new JdbcReleaseThreads(dataSource), routing,
                environments, new JdbcAlarmLog(dataSource), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Subject imageOf(String environment) {
        return new Subject(Subject.Kind.IMAGE, environment + "@" + DIGEST);
    }

    private static BuildChange build(String id, String project, String status, Instant at) {
        return new BuildChange(id, project, 3, status, null, "main", "codepipeline/x", NOW, null, null, null, at);
    }
}
