package dev.deploybot.store;

import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.activity.BotBuilds;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.activity.Outbox;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import dev.deploybot.build.BuildRecord;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseTestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The activity feature's tables, asserted against every database the bot supports. */
abstract class ActivityStoreContract extends MigratedDatabase {
    static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    JdbcActivityJournal journal;
    JdbcEventInbox inbox;
    JdbcBotBuilds botBuilds;
    JdbcBuildLog buildLog;
    JdbcReleaseThreads releases;

    ActivityStoreContract(Engine engine) {
        super(engine);
    }

    @BeforeEach
    void adapters() {
        journal = new JdbcActivityJournal(dataSource);
        inbox = new JdbcEventInbox(dataSource);
        botBuilds = new JdbcBotBuilds(dataSource);
        buildLog = new JdbcBuildLog(dataSource);
        releases = new JdbcReleaseThreads(dataSource);
    }

    @Test
    void anAlarmKeepsItsLatestStateWhateverOrderTheEventsArriveIn() {
        JdbcAlarmLog alarms = new JdbcAlarmLog(dataSource);
        AlarmStateChanged fired = new AlarmStateChanged("app-5xx", "ALARM", "Threshold Crossed", NOW);
        AlarmStateChanged earlier = new AlarmStateChanged("app-5xx", "OK", null, NOW.minusSeconds(60));
        AlarmStateChanged calmed = new AlarmStateChanged("app-5xx", "OK", "back to normal", NOW.plusSeconds(60));

        assertThat(alarms.latest("app-5xx")).isEmpty();
        assertThat(alarms.record(fired)).isTrue();
        assertThat(alarms.record(earlier)).as("older than what is known").isFalse();
        assertThat(alarms.record(fired)).as("told twice").isFalse();
        assertThat(alarms.latest("app-5xx")).contains(fired);
        assertThat(alarms.record(calmed)).isTrue();
        assertThat(alarms.latest("app-5xx")).contains(calmed);
    }

    @Test
    void anEventIdIsAdmittedOnceAndForgottenOnlyAfterItWasHandled() {
        EventInbox.ReceivedEvent event = new EventInbox.ReceivedEvent("e-1", "CodeBuild Build State Change", "{}", NOW);
        assertThat(inbox.admit(event)).isEqualTo(EventInbox.Admission.NEW);
        assertThat(inbox.admit(event)).isEqualTo(EventInbox.Admission.UNHANDLED);
        assertThat(inbox.unhandled(NOW.plusSeconds(1), 10)).containsExactly(event);
        assertThat(inbox.unhandled(NOW, 10)).isEmpty();

        inbox.handled("e-1", "recorded", NOW.plusSeconds(2));
        assertThat(inbox.admit(event)).isEqualTo(EventInbox.Admission.HANDLED);
        assertThat(inbox.unhandled(NOW.plusSeconds(60), 10)).isEmpty();
        assertThat(inbox.forgetHandledBefore(NOW.plusSeconds(1))).isZero();
        assertThat(inbox.forgetHandledBefore(NOW.plusSeconds(3))).isEqualTo(1);
        assertThat(inbox.admit(event)).isEqualTo(EventInbox.Admission.NEW);
    }

    @Test
    void anEventSetAsideKeepsItsBodyAndErrorAndIsNeitherRetriedNorForgotten() {
        EventInbox.ReceivedEvent fromQueue = new EventInbox.ReceivedEvent("e-2", "CodeBuild Build State Change", null, NOW);
        EventInbox.ReceivedEvent later = new EventInbox.ReceivedEvent("e-3", "CodeBuild Build State Change", "{}", NOW);
        inbox.admit(fromQueue);
        inbox.admit(later);
        assertThat(inbox.failed("e-2", "first")).isEqualTo(1);
        assertThat(inbox.failed("e-2", "x".repeat(2000))).as("an error of any length is kept, cut").isEqualTo(2);

        inbox.setAside("e-2", "{\"id\":\"e-2\"}", NOW.plusSeconds(1));

        assertThat(inbox.admit(fromQueue)).as("a redelivery is not tried again").isEqualTo(EventInbox.Admission.HANDLED);
        assertThat(inbox.unhandled(NOW.plusSeconds(60), 10)).extracting(EventInbox.ReceivedEvent::id).containsExactly("e-3");
        assertThat(inbox.forgetHandledBefore(NOW.plusSeconds(3600))).isZero();
        try (var connection = dataSource.getConnection(); var rows = connection.createStatement().executeQuery(
                "SELECT attempts, last_error, body FROM aws_events WHERE set_aside_at IS NOT NULL")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(2);
            assertThat(rows.getString(2)).hasSize(500);
            assertThat(rows.getString(3)).isEqualTo("{\"id\":\"e-2\"}");
            assertThat(rows.next()).isFalse();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aTrackedBuildRoundTripsWithEveryField() {
        BuildChange change = new BuildChange("app:1", "app", 55, "FAILED", "COMPLETED", "main", "alice",
                NOW.minusSeconds(90), NOW, new BuildChange.FailedPhase("BUILD", "FAILED", "exit status 1"),
                "https://logs", NOW);
        Tracked tracked = new Tracked(Subject.build("app:1"), change, 1, 0, "C1", null, true, true, null, null,
                "U1", "stg", null, true);
        assertThat(journal.insert(tracked, NOW)).isTrue();
        assertThat(journal.insert(tracked, NOW)).isFalse();
        assertThat(journal.find(Subject.build("app:1"))).contains(tracked);
    }

    @Test
    void deploymentsAndImagesRoundTrip() {
        DeploymentChange deployment = new DeploymentChange(Subject.Kind.ECS, "ecs-svc/123", "default", "web",
                "SERVICE_DEPLOYMENT_FAILED", Progress.FAILED, "circuit breaker", NOW);
        Tracked ecs = new Tracked(deployment.subject(), deployment, 1, 0, "C1", "1700000000.000100", true, false,
                null, null, null, "prd", "r1", false);
        ImagePushed pushed = new ImagePushed("app", "latest", "sha256:" + "a".repeat(64), NOW);
        Tracked image = new Tracked(new Subject(Subject.Kind.IMAGE, "prd@" + pushed.digest()), pushed, 1, 0, "C1",
                null, true, false, null, null, null, "prd", null, false);
        journal.insert(ecs, NOW);
        journal.insert(image, NOW);
        assertThat(journal.find(ecs.subject())).contains(ecs);
        assertThat(journal.find(image.subject())).contains(image);
    }

    @Test
    void aReplaceWinsOnlyAgainstTheVersionItRead() {
        Tracked first = build("app:2", "IN_PROGRESS");
        journal.insert(first, NOW);
        Tracked second = first.withChange(change("app:2", "FAILED"), true, false);
        assertThat(journal.replace(second, 1, NOW)).isTrue();
        assertThat(journal.replace(first.withChange(change("app:2", "SUCCEEDED"), true, false), 1, NOW)).isFalse();
        assertThat(journal.find(first.subject()).orElseThrow().change()).isEqualTo(second.change());
        assertThat(journal.find(first.subject()).orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void dueListsWhatSlackIsBehindOnUntilItIsNotified() {
        Tracked tracked = build("app:3", "IN_PROGRESS");
        journal.insert(tracked, NOW);
        assertThat(journal.due(NOW, 10)).extracting(Tracked::subject).containsExactly(tracked.subject());

        journal.posted(tracked.subject(), "1700000000.000200", 1, NOW.plusSeconds(5));
        assertThat(journal.due(NOW.plusSeconds(10), 10)).isEmpty();
        journal.replace(tracked.withMessage("1700000000.000200").withChange(change("app:3", "FAILED"), true, false),
                1, NOW);
        assertThat(journal.due(NOW.plusSeconds(1), 10)).as("spaced after the post").isEmpty();
        assertThat(journal.due(NOW.plusSeconds(5), 10)).hasSize(1);

        journal.notified(tracked.subject(), 2, null);
        assertThat(journal.due(NOW.plusSeconds(5), 10)).as("the end reply is still due").hasSize(1);
        journal.replied(tracked.subject(), "1700000000.000300");
        assertThat(journal.due(NOW.plusSeconds(5), 10)).isEmpty();
        assertThat(journal.find(tracked.subject()).orElseThrow().replyTs()).isEqualTo("1700000000.000300");
    }

    @Test
    void failedAttemptsWaitAndCountAndOneClaimHoldsAtATime() {
        Tracked tracked = build("app:4", "FAILED");
        journal.insert(tracked, NOW);
        journal.retryLater(tracked.subject(), NOW.plusSeconds(30));
        journal.retryLater(tracked.subject(), NOW.plusSeconds(60));
        assertThat(journal.attempts(tracked.subject())).isEqualTo(2);
        assertThat(journal.due(NOW.plusSeconds(59), 10)).isEmpty();
        assertThat(journal.due(NOW.plusSeconds(60), 10)).hasSize(1);

        assertThat(journal.claim(tracked.subject(), "a", NOW, NOW.plusSeconds(120))).isTrue();
        assertThat(journal.claim(tracked.subject(), "b", NOW.plusSeconds(1), NOW.plusSeconds(121))).isFalse();
        assertThat(journal.due(NOW.plusSeconds(60), 10)).as("claimed").isEmpty();
        journal.release(tracked.subject(), "a");
        assertThat(journal.claim(tracked.subject(), "b", NOW.plusSeconds(1), NOW.plusSeconds(121))).isTrue();
        assertThat(journal.claim(tracked.subject(), "a", NOW.plusSeconds(122), NOW.plusSeconds(200))).as("expired").isTrue();
        journal.notified(tracked.subject(), 1, null);
        assertThat(journal.attempts(tracked.subject())).isZero();
    }

    @Test
    void botBuildsAreFollowedUntilTheirFirstFinalStatus() {
        buildLog.recordIfNew(new BuildRecord("app:5", "stg", "app", "main", "U1", null, null, NOW));
        buildLog.recordIfNew(new BuildRecord("app:6", "stg", "app", "dev", "U2", null, null, NOW.plusSeconds(1)));
        buildLog.attachMessage("app:5", "C1", "1700000000.000400");
        assertThat(botBuilds.find("app:5")).contains(new BotBuilds.BotBuild("app:5", "stg", "main", "U1", "C1", "1700000000.000400"));
        assertThat(botBuilds.unfinished(10)).containsExactly("app:5", "app:6");

        botBuilds.finished("app:5", "FAILED");
        botBuilds.finished("app:5", "SUCCEEDED");
        assertThat(botBuilds.unfinished(10)).containsExactly("app:6");
        assertThat(statusOf("app:5")).isEqualTo("FAILED");
    }

    @Test
    void aReleaseIsFoundByItsDeploymentId() {
        JdbcReleaseJournal releaseJournal = new JdbcReleaseJournal(dataSource);
        JdbcOutbox outbox = new JdbcOutbox(dataSource);
        ReleaseRequest deploying = ReleaseTestData.aRelease().deploying("ecs-svc/42", "arn:aws:ecs:task-definition/app:7").build();
        releaseJournal.open(ReleaseTestData.aRelease().build());
        assertThat(releaseJournal.save(new ReleaseRequest(deploying.id(), deploying.ask(), deploying.decision(), deploying.deployment(), 0)))
                .isInstanceOf(ReleaseJournal.Saved.class);
        assertThat(releases.forDeployment("ecs-svc/42")).contains(new ReleaseThreads.ReleaseThread("r1", "prd", null, null));
        outbox.show(ReleaseThreads.messageKey("r1"), "C0PRD", new Outbox.Content("release", null), NOW);
        long letter = outbox.due(NOW, 10).get(0).id();
        outbox.delivered(letter, 1, "1700000000.000500", NOW);
        assertThat(releases.forDeployment("ecs-svc/42"))
                .contains(new ReleaseThreads.ReleaseThread("r1", "prd", "C0PRD", "1700000000.000500"));
        assertThat(releases.forDeployment("d-NOPE")).isEmpty();
    }

    private String statusOf(String buildId) {
        return new Sql(dataSource).query("SELECT status FROM builds WHERE build_id = ?", row -> row.getString(1), buildId)
                .get(0);
    }

    private static Tracked build(String id, String status) {
        return new Tracked(Subject.build(id), change(id, status), 1, 0, "C1", null, true, true, null, null, "U1", "stg",
                null, false);
    }

    private static BuildChange change(String id, String status) {
        return new BuildChange(id, "app", 1, status, null, null, null, null, null, null, null, NOW);
    }

}
