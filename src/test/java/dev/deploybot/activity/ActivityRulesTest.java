package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The small rules the outbox relies on: finished stays finished, later news keeps earlier facts, pauses grow. */
class ActivityRulesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void onlyInProgressMayMove() {
        for (Progress next : Progress.values()) {
            assertThat(Progress.IN_PROGRESS.canMoveTo(next)).isTrue();
            assertThat(Progress.SUCCEEDED.canMoveTo(next)).isFalse();
            assertThat(Progress.FAILED.canMoveTo(next)).isFalse();
        }
    }

    @Test
    void everyUnsuccessfulEndIsAFailure() {
        for (String status : new String[]{"FAILED", "FAULT", "TIMED_OUT", "STOPPED"}) {
            assertThat(build(status, null).progress()).isEqualTo(Progress.FAILED);
        }
        assertThat(build("SUCCEEDED", null).progress()).isEqualTo(Progress.SUCCEEDED);
        assertThat(build("IN_PROGRESS", null).progress()).isEqualTo(Progress.IN_PROGRESS);
    }

    @Test
    void aLaterChangeKeepsWhatOnlyTheEarlierOneKnew() {
        BuildChange.FailedPhase failed = new BuildChange.FailedPhase("BUILD", "FAILED", "exit status 1");
        BuildChange phase = new BuildChange("app:1", "app", 7, "IN_PROGRESS", "POST_BUILD", "main", "alice", T0, null,
                failed, "https://logs", T0.plusSeconds(60));
        BuildChange end = new BuildChange("app:1", "app", 0, "FAILED", "COMPLETED", null, null, null, T0.plusSeconds(90),
                null, null, T0.plusSeconds(91));

        BuildChange merged = end.over(phase);
        assertThat(merged.status()).isEqualTo("FAILED");
        assertThat(merged.number()).isEqualTo(7);
        assertThat(merged.failedPhase()).isEqualTo(failed);
        assertThat(merged.sourceVersion()).isEqualTo("main");
        assertThat(merged.logsUrl()).isEqualTo("https://logs");
        assertThat(merged.duration()).contains(Duration.ofSeconds(90));
        assertThat(merged.occurredAt()).isEqualTo(T0.plusSeconds(91));
    }

    @Test
    void aFinishedBuildWithoutEndTimeLastsUntilItsEvent() {
        BuildChange ended = new BuildChange("app:1", "app", 1, "TIMED_OUT", null, null, null, T0, null, null, null,
                T0.plusSeconds(3600));
        assertThat(ended.duration()).contains(Duration.ofHours(1));
        assertThat(build("IN_PROGRESS", T0).duration()).isEmpty();
    }

    @Test
    void aRouteAlwaysWantsFailures() {
        Route route = new Route("ci", new Route.CodeBuildProject("app"), "C1", java.util.Set.of(Progress.SUCCEEDED));
        assertThat(route.wants(Progress.FAILED)).isTrue();
        assertThat(route.wants(Progress.SUCCEEDED)).isTrue();
        assertThat(route.wants(Progress.IN_PROGRESS)).isFalse();
    }

    @Test
    void subjectKeysRoundTrip() {
        Subject ecs = new Subject(Subject.Kind.ECS, "ecs-svc/123:with:colons");
        assertThat(ecs.key()).isEqualTo("ecs:ecs-svc/123:with:colons");
        assertThat(Subject.ofKey(ecs.key())).isEqualTo(ecs);
    }

    private static BuildChange build(String status, Instant startedAt) {
        return new BuildChange("app:1", "app", 1, status, null, null, null, startedAt, null, null, null, T0);
    }
}
