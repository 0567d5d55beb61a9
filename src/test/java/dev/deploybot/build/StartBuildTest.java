package dev.deploybot.build;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.InMemoryBuildLog;
import dev.deploybot.core.OutcomeUnknown;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Starting a build, in memory: who is told what, and that a replay starts nothing new. */
class StartBuildTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Environment STG = new Environment("stg", "C0STG", List.of(),
            Optional.of(new Environment.BuildSettings("app-stg", "main")));
    private static final Actor ALICE = Actor.of("U0ALICE");

    private final Deque<Supplier<StartedBuild>> answers = new ArrayDeque<>();
    private final List<BuildRequest> asked = new ArrayList<>();
    private final List<String> told = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final InMemoryBuildLog log = new InMemoryBuildLog();
    private final StartBuild startBuild = new StartBuild(request -> {
        asked.add(request);
        return answers.isEmpty() ? build(1) : answers.poll().get();
    }, log, new BuildAnnouncer() {
        @Override
        public void started(Environment environment, StartedBuild build, GitRef ref, Actor requester) {
            told.add("started " + build.id() + " in " + environment.channel());
        }

        @Override
        public void askingAgain(Environment environment, GitRef ref, Actor requester, String channelId) {
            told.add("asking again");
        }

        @Override
        public void mayHaveStarted(Environment environment, GitRef ref, Actor requester, String channelId) {
            told.add("may have started");
        }

        @Override
        public void refused(Environment environment, GitRef ref, Actor requester, String channelId, ExternalFailure failure) {
            told.add("refused " + failure.code());
        }
    }, new AuditTrail() {
        @Override
        public void append(AuditEntry entry) {
            audit.add(entry);
        }

        @Override
        public List<AuditEntry> recent(int limit) {
            return List.copyOf(audit);
        }
    }, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aStartedBuildIsRecordedForItsRequesterAndAnnouncedInTheEnvironmentsChannel() {
        StartBuild.Outcome outcome = startBuild.start(STG, new GitRef("feature/x"), ALICE, "cmd-1", "C0HERE");

        assertThat(outcome).isEqualTo(new StartBuild.Started(build(1)));
        assertThat(asked).singleElement().satisfies(request -> {
            assertThat(request.project()).isEqualTo("app-stg");
            assertThat(request.idempotencyToken()).isEqualTo("cmd-1");
        });
        assertThat(log.find("app-stg:1")).hasValueSatisfying(record -> {
            assertThat(record.requester()).isEqualTo(ALICE.userId());
            assertThat(record.ref()).isEqualTo("feature/x");
            assertThat(record.channel()).isEqualTo("C0STG");
        });
        assertThat(log.unfinished(10)).containsExactly("app-stg:1");
        assertThat(told).containsExactly("started app-stg:1 in C0STG");
    }

    @Test
    void aReplayedCommandStartsNothingNewAndSaysNothingTwice() {
        startBuild.start(STG, new GitRef("main"), ALICE, "cmd-2", "C0HERE");

        assertThat(startBuild.start(STG, new GitRef("main"), ALICE, "cmd-2", "C0HERE"))
                .isEqualTo(new StartBuild.AlreadyStarted(build(1)));
        assertThat(told).containsExactly("started app-stg:1 in C0STG");
    }

    @Test
    void noAnswerTwiceTellsTheRequesterTheBuildMayHaveStarted() {
        answers.add(() -> {
            throw new OutcomeUnknown("CodeBuild", "StartBuild", null);
        });
        answers.add(() -> {
            throw new OutcomeUnknown("CodeBuild", "StartBuild", null);
        });

        assertThat(startBuild.start(STG, new GitRef("main"), ALICE, "cmd-3", "C0HERE")).isInstanceOf(StartBuild.Unknown.class);
        assertThat(asked).as("asked again once, with the same token").extracting(BuildRequest::idempotencyToken)
                .containsExactly("cmd-3", "cmd-3");
        assertThat(told).containsExactly("asking again", "may have started");
        assertThat(log.unfinished(10)).isEmpty();
    }

    @Test
    void aRefusalIsToldToTheRequesterAndNothingIsRecorded() {
        answers.add(() -> {
            throw new ExternalFailure("CodeBuild", "AccountLimitExceededException", "too many builds", false, null);
        });

        assertThat(startBuild.start(STG, new GitRef("main"), ALICE, "cmd-4", "C0HERE")).isInstanceOf(StartBuild.Refused.class);
        assertThat(told).containsExactly("refused AccountLimitExceededException");
        assertThat(log.unfinished(10)).isEmpty();
        assertThat(audit).extracting(AuditEntry::outcome).containsExactly("refused");
    }

    private static StartedBuild build(long number) {
        return new StartedBuild("app-stg:" + number, "app-stg", number, "https://logs");
    }
}
