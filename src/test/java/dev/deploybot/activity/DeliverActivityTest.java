package dev.deploybot.activity;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Handing recorded news to the one outbox: only the latest version, once; the end reply once; nothing unasked. */
class DeliverActivityTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final InMemoryActivityJournal journal = new InMemoryActivityJournal();
    private final List<String> outbox = new ArrayList<>();
    /** A subject whose message cannot be rendered (its rendering throws). */
    private String unrenderable = "none";
    private final DeliverActivity deliver = new DeliverActivity(journal, new ActivityAnnouncer() {
        @Override
        public void show(Tracked tracked) {
            if (tracked.subject().key().equals(unrenderable)) {
                throw new IllegalStateException("cannot render " + unrenderable);
            }
            outbox.add("show " + tracked.subject().key() + " " + ((BuildChange) tracked.change()).status());
        }

        @Override
        public void replyDone(Tracked tracked) {
            outbox.add("reply " + tracked.subject().key());
        }
    }, new ImmediateUnitOfWork(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aBurstOfChangesCostsOneOutboxWriteWithTheLatest() {
        Tracked first = Tracked.first(Subject.build("app:1"), build("app:1", "IN_PROGRESS"), "C1", true, false, null, "stg", false);
        journal.insert(first, NOW);
        Tracked second = first.withChange(build("app:1", "IN_PROGRESS"), true, false);
        journal.replace(second, 1, NOW);
        journal.replace(second.withChange(build("app:1", "SUCCEEDED"), true, false), 2, NOW);

        assertThat(deliver.deliverDue()).isEqualTo(1);
        assertThat(deliver.deliverDue()).as("nothing left").isZero();
        assertThat(outbox).containsExactly("show build:app:1 SUCCEEDED");
    }

    @Test
    void newsRecordedToBeToldIsHandedOverOnceInTheSameUnitOfWork() {
        Tracked failed = Tracked.first(Subject.build("app:5"), build("app:5", "FAILED"), "C1", true, true, "U1", "stg", true);
        journal.insert(failed.told(), NOW);
        deliver.tellRecorded(List.of(failed));

        assertThat(deliver.deliverDue()).as("marked told when it was recorded").isZero();
        assertThat(outbox).containsExactly("show build:app:5 FAILED", "reply build:app:5");
    }

    @Test
    void newsThatCannotBeHandedOverFailsItsUnitOfWork() {
        unrenderable = "build:app:6";
        Tracked failed = Tracked.first(Subject.build("app:6"), build("app:6", "FAILED"), "C1", true, false, null, "stg", false);

        assertThatThrownBy(() -> deliver.tellRecorded(List.of(failed))).as("its told mark is undone with it")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBuildTheBotStartedGetsItsEndReplyOnce() {
        Tracked started = Tracked.first(Subject.build("app:2"), build("app:2", "IN_PROGRESS"), "C1", true, true, "U1", "stg", true);
        journal.insert(started, NOW);
        deliver.deliverDue();
        journal.replace(journal.find(started.subject()).orElseThrow().withChange(build("app:2", "FAILED"), true, true), 1, NOW);
        deliver.deliverDue();
        deliver.deliverDue();

        assertThat(outbox).containsExactly("show build:app:2 IN_PROGRESS", "show build:app:2 FAILED", "reply build:app:2");
    }

    @Test
    void whatNobodyAskedToSeeIsRecordedButNotShown() {
        journal.insert(Tracked.first(Subject.build("app:3"), build("app:3", "IN_PROGRESS"), "C1", false, false, null, null, false), NOW);

        assertThat(deliver.deliverDue()).isEqualTo(1);
        assertThat(outbox).isEmpty();
        assertThat(journal.due(NOW, 10)).isEmpty();
    }

    @Test
    void aSubjectClaimedByAnotherReplicaIsLeftToIt() {
        Tracked tracked = Tracked.first(Subject.build("app:4"), build("app:4", "FAILED"), "C1", true, false, null, null, false);
        journal.insert(tracked, NOW);
        journal.claim(tracked.subject(), "another-replica", NOW, NOW.plusSeconds(60));

        assertThat(deliver.deliverDue()).isZero();
        assertThat(outbox).isEmpty();
    }

    @Test
    void aSubjectThatCannotBeToldDoesNotHoldUpTheOthers() {
        for (String id : List.of("app:5", "app:6", "app:7")) {
            journal.insert(Tracked.first(Subject.build(id), build(id, "FAILED"), "C1", true, false, null, null, false), NOW);
        }
        unrenderable = "build:app:6";

        deliver.deliverDue();

        assertThat(outbox).containsExactlyInAnyOrder("show build:app:5 FAILED", "show build:app:7 FAILED");
        assertThat(journal.due(NOW, 10)).extracting(tracked -> tracked.subject().key()).containsExactly("build:app:6");
    }

    private static BuildChange build(String id, String status) {
        return new BuildChange(id, "app", 1, status, null, null, null, null, null, null, null, NOW);
    }
}
