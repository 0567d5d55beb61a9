package dev.deploybot.store;

import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.Subject;
import dev.deploybot.activity.Tracked;
import dev.deploybot.core.BuildRecord;
import dev.deploybot.core.Progress;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseTestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The activity feature's tables, asserted against every database the bot supports. */
abstract class ActivityStoreContract extends MigratedDatabase {
    static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    JdbcActivityJournal journal;
    JdbcEventInbox inbox;
    JdbcBuildLog buildLog;
    JdbcReleaseThreads releases;

    ActivityStoreContract(Engine engine) {
        super(engine);
    }

    @BeforeEach
    void adapters() {
        journal = new JdbcActivityJournal(dataSource);
        inbox = new JdbcEventInbox(dataSource);
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
    void aNewEventKeptAsHandledIsKnownAsDoneAndOnlyOnce() {
        EventInbox.ReceivedEvent event = new EventInbox.ReceivedEvent("e-9", "CodeBuild Build State Change", null, NOW);
        assertThat(inbox.admitHandled(event, "recorded", NOW.plusSeconds(1))).isTrue();
        assertThat(inbox.admitHandled(event, "recorded", NOW.plusSeconds(2))).as("its id is known by then").isFalse();
        assertThat(inbox.admit(event)).as("a redelivery").isEqualTo(EventInbox.Admission.HANDLED);
        assertThat(inbox.unhandled(NOW.plusSeconds(60), 10)).isEmpty();
        assertThat(inbox.forgetHandledBefore(NOW.plusSeconds(2))).isEqualTo(1);

        inbox.admit(new EventInbox.ReceivedEvent("e-10", "CodeBuild Build State Change", "{}", NOW));
        assertThat(inbox.admitHandled(new EventInbox.ReceivedEvent("e-10", "CodeBuild Build State Change", null, NOW),
                "recorded", NOW)).isFalse();
        assertThat(inbox.unhandled(NOW.plusSeconds(60), 10)).extracting(EventInbox.ReceivedEvent::id).containsExactly("e-10");
    }

    @Test
    void workSharingACommitIsKeptOrDroppedEachOnItsOwn() throws Exception {
        JdbcUnitOfWork unitOfWork = new JdbcUnitOfWork(dataSource);
        int threads = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < threads * 5; i++) {
            String id = "e-shared-" + i;
            boolean fails = i % 4 == 3;
            answers.add(pool.submit(() -> {
                start.await();
                try {
                    return unitOfWork.sharedCommit(() -> {
                        inbox.admit(new EventInbox.ReceivedEvent(id, "CodeBuild Build State Change", null, NOW));
                        journal.insert(build("app-ci:" + id, "FAILED"), NOW);
                        if (fails) {
                            throw new IllegalStateException("the handler failed half way");
                        }
                        inbox.handled(id, "recorded", NOW);
                        return "kept";
                    });
                } catch (IllegalStateException e) {
                    return "failed";
                }
            }));
        }
        start.countDown();
        for (int i = 0; i < answers.size(); i++) {
            String id = "e-shared-" + i;
            boolean failed = i % 4 == 3;
            assertThat(answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(failed ? "failed" : "kept");
            assertThat(journal.find(Subject.build("app-ci:" + id))).as(id).matches(found -> found.isPresent() != failed);
            assertThat(inbox.admit(new EventInbox.ReceivedEvent(id, "CodeBuild Build State Change", null, NOW)))
                    .as(id).isEqualTo(failed ? EventInbox.Admission.NEW : EventInbox.Admission.HANDLED);
        }
        pool.shutdown();
    }

    @Test
    void aChannelWithALongBacklogDoesNotHideTheOtherChannelsLetters() {
        JdbcOutbox outbox = new JdbcOutbox(dataSource);
        for (int i = 0; i < 30; i++) {
            outbox.show("build:busy-" + i, "C0BUSY", new Outbox.Content("failed " + i, null), NOW);
        }
        outbox.show("release:r-1", "C0PRD", new Outbox.Content("approve?", null), NOW);
        outbox.reply("release:r-1", "C0PRD", new Outbox.Content("approved", null), NOW);

        List<Outbox.Letter> due = outbox.due(NOW, 10);
        assertThat(due).filteredOn(letter -> letter.channel().equals("C0BUSY")).extracting(Outbox.Letter::key)
                .as("the busy channel's oldest, no more").containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, 10).mapToObj(i -> "build:busy-" + i).toList());
        assertThat(due).filteredOn(letter -> letter.channel().equals("C0PRD")).extracting(letter -> letter.content().text())
                .as("the reply waits for its message").containsExactly("approve?");

        Outbox.Letter approval = due.stream().filter(letter -> "release:r-1".equals(letter.key())).findFirst().orElseThrow();
        outbox.delivered(approval.id(), approval.version(), "1700000000.000300", NOW);
        assertThat(outbox.due(NOW, 10)).filteredOn(letter -> letter.channel().equals("C0PRD"))
                .extracting(Outbox.Letter::threadTs, letter -> letter.content().text())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1700000000.000300", "approved"));
        assertThat(outbox.backlog()).isEqualTo(31);
    }

    @Test
    void aUnitOfWorkKeepsAnEventAndItsChangeTogetherOrNeither() {
        JdbcUnitOfWork unitOfWork = new JdbcUnitOfWork(dataSource);
        EventInbox.ReceivedEvent kept = new EventInbox.ReceivedEvent("e-kept", "CodeBuild Build State Change", null, NOW);
        EventInbox.ReceivedEvent lost = new EventInbox.ReceivedEvent("e-lost", "CodeBuild Build State Change", null, NOW);
        Tracked build = build("app-ci:kept", "FAILED");

        unitOfWork.together(() -> {
            inbox.admit(kept);
            journal.insert(build, NOW);
            inbox.handled("e-kept", "recorded", NOW);
            return null;
        });
        assertThatThrownBy(() -> unitOfWork.together(() -> {
            inbox.admit(lost);
            journal.insert(build("app-ci:lost", "FAILED"), NOW);
            throw new IllegalStateException("the handler failed half way");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(inbox.admit(kept)).isEqualTo(EventInbox.Admission.HANDLED);
        assertThat(journal.find(build.subject())).isPresent();
        assertThat(inbox.admit(lost)).as("nothing of the failed unit was kept").isEqualTo(EventInbox.Admission.NEW);
        assertThat(journal.find(Subject.build("app-ci:lost"))).isEmpty();
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
        Tracked tracked = new Tracked(Subject.build("app:1"), change, 3, 2, "C1", true, true, true, "U1", "stg", true);
        assertThat(journal.insert(tracked, NOW)).isTrue();
        assertThat(journal.insert(tracked, NOW)).isFalse();
        assertThat(journal.find(Subject.build("app:1"))).contains(tracked);
    }

    @Test
    void deploymentsAndImagesRoundTrip() {
        DeploymentChange deployment = new DeploymentChange(Subject.Kind.ECS, "ecs-svc/123", "default", "web",
                "SERVICE_DEPLOYMENT_FAILED", Progress.FAILED, "circuit breaker", NOW);
        Tracked ecs = Tracked.first(deployment.subject(), deployment, "C1", true, false, null, "prd", false);
        ImagePushed pushed = new ImagePushed("app", "latest", "sha256:" + "a".repeat(64), NOW);
        Tracked image = Tracked.first(new Subject(Subject.Kind.IMAGE, "prd@" + pushed.digest()), pushed, "C1", false,
                false, null, "prd", false);
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
    void dueListsWhatTheOutboxWasNotToldYet() {
        Tracked tracked = build("app:3", "IN_PROGRESS");
        journal.insert(tracked, NOW);
        assertThat(journal.due(NOW, 10)).extracting(Tracked::subject).containsExactly(tracked.subject());

        journal.told(tracked.subject(), 1, false);
        assertThat(journal.due(NOW, 10)).isEmpty();
        journal.replace(tracked.withChange(change("app:3", "FAILED"), true, false), 1, NOW);
        Tracked ended = journal.due(NOW, 10).get(0);
        assertThat(ended.replyDue()).isTrue();

        journal.told(tracked.subject(), 2, true);
        assertThat(journal.due(NOW, 10)).isEmpty();
        assertThat(journal.find(tracked.subject()).orElseThrow().replied()).isTrue();
        journal.told(tracked.subject(), 1, false);
        assertThat(journal.find(tracked.subject()).orElseThrow())
                .as("a late hand-over of an older version changes nothing")
                .satisfies(t -> assertThat(t.behind()).isFalse())
                .satisfies(t -> assertThat(t.replied()).isTrue());
    }

    @Test
    void aSubjectRecordedAsToldIsNotDueAndItsMarksOnlyMoveForward() {
        Tracked started = build("app:4", "IN_PROGRESS");
        journal.insert(started.told(), NOW);
        assertThat(journal.due(NOW, 10)).as("handed to the outbox in the same commit").isEmpty();

        Tracked failed = started.withChange(change("app:4", "FAILED"), true, false);
        assertThat(journal.replace(failed.told(), 1, NOW)).isTrue();
        assertThat(journal.due(NOW, 10)).isEmpty();
        assertThat(journal.find(started.subject()).orElseThrow().replied()).as("its end reply went with it").isTrue();

        assertThat(journal.replace(failed.withChange(change("app:4", "FAILED"), true, true), 2, NOW)).isTrue();
        assertThat(journal.find(started.subject()).orElseThrow())
                .as("a change recorded for a later round is due, and keeps what was told")
                .satisfies(t -> assertThat(t.toldVersion()).isEqualTo(2))
                .satisfies(t -> assertThat(t.replied()).isTrue());
        assertThat(journal.due(NOW, 10)).extracting(Tracked::version).containsExactly(3L);
    }

    @Test
    void aFirstShowingIsInsertedAndStillUpdatesAMessageThatIsThere() {
        JdbcOutbox outbox = new JdbcOutbox(dataSource);
        outbox.showFirst("build:first-1", "C0FIRST", new Outbox.Content("failed", null), NOW);
        outbox.show("build:first-2", "C0FIRST", new Outbox.Content("started", null), NOW);
        outbox.showFirst("build:first-2", "C0FIRST", new Outbox.Content("failed", null), NOW);

        assertThat(outbox.due(NOW, 10)).filteredOn(letter -> letter.channel().equals("C0FIRST"))
                .extracting(letter -> letter.key() + " " + letter.content().text() + " v" + letter.version())
                .containsExactly("build:first-1 failed v1", "build:first-2 failed v2");
    }

    @Test
    void oneClaimHoldsAtATime() {
        Tracked tracked = build("app:4", "FAILED");
        journal.insert(tracked, NOW);
        assertThat(journal.claim(tracked.subject(), "a", NOW, NOW.plusSeconds(120))).isTrue();
        assertThat(journal.claim(tracked.subject(), "b", NOW.plusSeconds(1), NOW.plusSeconds(121))).isFalse();
        assertThat(journal.due(NOW.plusSeconds(60), 10)).as("claimed").isEmpty();
        journal.release(tracked.subject(), "a");
        assertThat(journal.claim(tracked.subject(), "b", NOW.plusSeconds(1), NOW.plusSeconds(121))).isTrue();
        assertThat(journal.claim(tracked.subject(), "a", NOW.plusSeconds(122), NOW.plusSeconds(200))).as("expired").isTrue();
    }

    @Test
    void botBuildsAreFollowedUntilTheirFirstFinalStatus() {
        buildLog.recordIfNew(new BuildRecord("app:5", "stg", "app", "main", "U1", "C1", NOW));
        buildLog.recordIfNew(new BuildRecord("app:6", "stg", "app", "dev", "U2", "C1", NOW.plusSeconds(1)));
        assertThat(buildLog.unfinished(10)).containsExactly("app:5", "app:6");

        buildLog.finished("app:5", "FAILED");
        buildLog.finished("app:5", "SUCCEEDED");
        assertThat(buildLog.unfinished(10)).containsExactly("app:6");
        assertThat(statusOf("app:5")).isEqualTo("FAILED");
    }

    @Test
    void aReleaseIsFoundByItsDeploymentId() {
        JdbcReleaseJournal releaseJournal = new JdbcReleaseJournal(dataSource);
        ReleaseRequest deploying = ReleaseTestData.aRelease().deploying("ecs-svc/42", "arn:aws:ecs:task-definition/app:7").build();
        releaseJournal.open(ReleaseTestData.aRelease().build());
        assertThat(releaseJournal.save(new ReleaseRequest(deploying.id(), deploying.ask(), deploying.decision(), deploying.deployment(), 0)))
                .isInstanceOf(ReleaseJournal.Saved.class);
        assertThat(releases.releaseOf("ecs-svc/42")).contains("r1");
        assertThat(releases.releaseOf("d-NOPE")).isEmpty();
    }

    private String statusOf(String buildId) {
        return new Sql(dataSource).query("SELECT status FROM builds WHERE build_id = ?", row -> row.getString(1), buildId)
                .get(0);
    }

    private static Tracked build(String id, String status) {
        return Tracked.first(Subject.build(id), change(id, status), "C1", true, true, "U1", "stg", false);
    }

    private static BuildChange change(String id, String status) {
        return new BuildChange(id, "app", 1, status, null, null, null, null, null, null, null, NOW);
    }

}
