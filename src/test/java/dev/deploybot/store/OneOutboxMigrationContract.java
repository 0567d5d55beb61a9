package dev.deploybot.store;

import dev.deploybot.activity.ActivityAnnouncer;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.DeliverActivity;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import dev.deploybot.core.Progress;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V12 moves event messages onto the one outbox: what was in flight under the old delivery bookkeeping must
 * still reach Slack, as updates of the messages already there, not as second messages.
 */
abstract class OneOutboxMigrationContract extends MigratedDatabase {
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");

    OneOutboxMigrationContract(Engine engine) {
        super(engine);
    }

    @Override
    String migratedUpTo() {
        return "11?"; // the last version before V12, whichever exist
    }

    @Test
    void whatWasInFlightIsDeliveredAsUpdatesAndRepliesOfTheMessagesAlreadyPosted() {
        Sql sql = new Sql(dataSource);
        sql.update("""
                INSERT INTO builds (build_id, environment, project, ref, requester, channel, message_ts, started_at, status)
                VALUES ('app:7', 'stg', 'app', 'main', 'U1', 'C1', '1700000000.000100', ?, 'FAILED')""", NOW);
        BuildChange failed = new BuildChange("app:7", "app", 7, "FAILED", null, "main", null, null, null, null, null, NOW);
        oldRow("build:app:7", "BUILD", failed.progress(), ChangeJson.write(failed), 2, 2, "C1", null, true,
                "1700000000.000100", null);
        DeploymentChange rolling = new DeploymentChange(Subject.Kind.ECS, "ecs-svc/9", "default", "web",
                "SERVICE_DEPLOYMENT_COMPLETED", Progress.SUCCEEDED, null, NOW);
        oldRow("ecs:ecs-svc/9", "ECS", rolling.progress(), ChangeJson.write(rolling), 3, 2, "C2", null, false,
                "1700000000.000200", null);
        DeploymentChange inRelease = new DeploymentChange(Subject.Kind.ECS, "ecs-svc/10", "default", "web",
                "SERVICE_DEPLOYMENT_FAILED", Progress.FAILED, null, NOW);
        oldRow("ecs:ecs-svc/10", "ECS", inRelease.progress(), ChangeJson.write(inRelease), 2, 1, "C3",
                "1700000000.000300", false, null, null);

        migrateAll();

        JdbcOutbox outbox = new JdbcOutbox(dataSource);
        assertThat(outbox.messageTs("build:app:7")).contains("1700000000.000100");
        assertThat(outbox.messageTs("ecs:ecs-svc/9")).contains("1700000000.000200");
        Instant afterMigration = Instant.now().plusSeconds(1);
        assertThat(outbox.due(afterMigration, 10)).as("nothing is sent again by itself").isEmpty();

        ActivityAnnouncer announcer = new ActivityAnnouncer() {
            @Override
            public void show(Tracked tracked) {
                outbox.show(tracked.subject().key(), tracked.channel(), new Outbox.Content("now: " + tracked.progress(), null), NOW);
            }

            @Override
            public void replyDone(Tracked tracked) {
                outbox.reply(tracked.subject().key(), tracked.channel(), new Outbox.Content("ended", null), NOW);
            }
        };
        new DeliverActivity(new JdbcActivityJournal(dataSource), announcer, new JdbcUnitOfWork(dataSource), Clock.fixed(NOW, ZoneOffset.UTC)).deliverDue();

        assertThat(outbox.due(afterMigration, 10))
                .extracting(Outbox.Letter::channel, Outbox.Letter::ts, Outbox.Letter::threadTs, letter -> letter.content().text())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("C1", "1700000000.000100", null, "now: FAILED"),
                        org.assertj.core.groups.Tuple.tuple("C1", null, "1700000000.000100", "ended"),
                        org.assertj.core.groups.Tuple.tuple("C2", "1700000000.000200", null, "now: SUCCEEDED"));
    }

    private void oldRow(String key, String kind, Progress progress, String json, long version, long notified, String channel,
                        String threadTs, boolean replyWhenDone, String messageTs, String replyTs) {
        new Sql(dataSource).update("""
                INSERT INTO activity (subject_key, kind, progress, change_json, version, notified_version, channel, thread_ts,
                    announce, reply_when_done, message_ts, reply_ts, requester, environment, release_id, retryable,
                    attempts, next_attempt_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, 'U1', 'stg', NULL, FALSE, 0, NULL, ?)""",
                key, kind, progress.name(), json, version, notified, channel, threadTs, replyWhenDone, messageTs, replyTs, NOW);
    }
}
