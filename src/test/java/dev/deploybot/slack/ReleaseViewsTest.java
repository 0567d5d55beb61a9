package dev.deploybot.slack;

import com.slack.api.util.json.GsonFactory;
import dev.deploybot.core.Environment;
import dev.deploybot.release.AlarmState;
import dev.deploybot.release.ProvenInStaging;
import dev.deploybot.release.ReleaseNews;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.deploybot.release.ReleaseTestData.NOW;
import static dev.deploybot.release.ReleaseTestData.aRelease;
import static org.assertj.core.api.Assertions.assertThat;

/** The release message of a proven candidate and of a bake, rendered from known states, asserted on the blocks. */
class ReleaseViewsTest {
    private static final Environment PRD = new Environment("prd", "C0PRD", List.of(), Optional.empty(), Optional.of(
            new Environment.ReleaseSettings("app", "latest", List.of("release", "release-1gen"), List.of("U0LEAD"), 1, false,
                    Duration.ofMinutes(30), Optional.empty(), "^git-[0-9a-f]{7}$", Environment.RollbackPolicy.SAFE, true,
                    Optional.of(new Environment.Bake(Duration.ofMinutes(10), List.of("app-5xx", "app-latency"), Duration.ofMinutes(1))),
                    Optional.of(new Environment.Requirement("stg", Duration.ZERO)))), Optional.empty());

    @Test
    void theApprovalRequestShowsSinceWhenTheRequiredEnvironmentRunsTheCandidate() {
        Instant since = Instant.parse("2026-11-24T13:40:00Z");
        String blocks = blocks(ReleaseViews.release(PRD, aRelease().build(),
                new ReleaseNews.Requested(Optional.of(new ProvenInStaging.Proven("stg", since)))));
        assertThat(blocks).contains("*Proven*\\nrunning in stg since <!date^" + since.getEpochSecond() + "^");
        assertThat(blocks(ReleaseViews.release(PRD, aRelease().build(), new ReleaseNews.Requested()))).doesNotContain("Proven");
    }

    @Test
    void aBakingReleaseShowsTheTimeLeftAndEachAlarm() {
        ReleaseRequest baking = aRelease().approvedSoFarBy("U0LEAD").inState(ReleaseState.APPROVED, "U0LEAD").baking(NOW).build();
        String blocks = blocks(ReleaseViews.release(PRD, baking, new ReleaseNews.Baking(Duration.ofSeconds(421), List.of(
                new AlarmState("app-5xx", AlarmState.Condition.OK, NOW, null),
                new AlarmState("app-latency", AlarmState.Condition.INSUFFICIENT_DATA, NOW, null)), false)));
        assertThat(blocks).contains("Baking, 8 min left", "`app-5xx` OK", "`app-latency` insufficient data");
    }

    @Test
    void aBakedReleaseSaysHowLongItBakedAndOneRolledBackNamesItsAlarm() {
        ReleaseRequest baking = aRelease().approvedSoFarBy("U0LEAD").inState(ReleaseState.APPROVED, "U0LEAD").baking(NOW).build();
        ReleaseRequest baked = ((ReleaseRequest.Moved) baking.finishBake(Duration.ofMinutes(10), NOW.plusSeconds(600))).request();
        assertThat(blocks(ReleaseViews.release(PRD, baked, new ReleaseNews.Finished("baked")))).contains("*Succeeded, baked 10 min*");

        Instant firedAt = NOW.plusSeconds(120);
        ReleaseRequest failed = ((ReleaseRequest.Moved) baking.alarmFired("app-5xx", firedAt, NOW.plusSeconds(125))).request();
        assertThat(blocks(ReleaseViews.release(PRD, failed, new ReleaseNews.AlarmFired("app-5xx in ALARM", true))))
                .contains("*Failed*", "auto-rolled back: alarm `app-5xx` in ALARM at <!date^" + firedAt.getEpochSecond() + "^");
        assertThat(ReleaseViews.threadLine(PRD, failed, new ReleaseNews.AlarmFired("app-5xx in ALARM", true)))
                .hasValueSatisfying(line -> assertThat(line).contains("Rolling back now", "<@U0DEV>", "<@U0LEAD>"));
    }

    @Test
    void aFirstReleaseWhoseAlarmFiredDoesNotPromiseARollback() {
        ReleaseRequest baking = aRelease().approvedSoFarBy("U0LEAD").inState(ReleaseState.APPROVED, "U0LEAD").baking(NOW).build();
        ReleaseRequest failed = ((ReleaseRequest.Moved) baking.alarmFired("app-5xx", NOW.plusSeconds(120), NOW.plusSeconds(125))).request();

        assertThat(ReleaseViews.threadLine(PRD, failed, new ReleaseNews.AlarmFired("app-5xx in ALARM", false)))
                .hasValueSatisfying(line -> assertThat(line).contains("nothing to roll back to", "stays locked", "<@U0DEV>")
                        .doesNotContain("Rolling back now"));
    }

    private static String blocks(SlackView view) {
        return GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create().toJson(view.blocks());
    }
}
