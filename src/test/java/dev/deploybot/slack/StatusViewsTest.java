package dev.deploybot.slack;

import com.slack.api.model.block.DividerBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.util.json.GsonFactory;
import dev.deploybot.core.ImageRef;
import dev.deploybot.pipeline.ShowStatus;
import dev.deploybot.release.EnvironmentLocks;
import dev.deploybot.release.ProvenInStaging;
import dev.deploybot.release.Refusal;
import dev.deploybot.release.ReleaseHistory;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import dev.deploybot.release.ServiceSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Status, history and "proven in staging" refusals rendered from known states, asserted on the blocks. */
class StatusViewsTest {
    private static final Instant NOW = Instant.parse("2026-11-29T14:00:00Z");
    private static final String RUNNING = "sha256:" + "1".repeat(64);
    private static final String TAGGED = "sha256:" + "2".repeat(64);
    private static final String CANDIDATE = "sha256:" + "3".repeat(64);

    @Test
    void statusShowsWhatRunsTheTagsTheirDriftAndWhatTheBotDoesThere() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("release", TAGGED);
        tags.put("release-1gen", RUNNING);
        ReleaseRequest pending = ReleaseRequest.pending("r-1", new ReleaseRequest.Ask(ReleaseRequest.Kind.RELEASE, 0, "prd",
                "U0DEV", null, new ImageRef("team/app", CANDIDATE), List.of("latest"), NOW, TAGGED, null, NOW,
                NOW.plusSeconds(1800)));
        ShowStatus.EnvironmentStatus prd = new ShowStatus.EnvironmentStatus("prd", new ShowStatus.Running(
                new ServiceSnapshot(Optional.of(RUNNING), "app:42", "COMPLETED", 3, 3, NOW.minusSeconds(3600), NOW.minusSeconds(3000))),
                Optional.of(tags), true, Optional.of(new ShowStatus.Request(pending, "C0PRD", "1700000000.000100")), Optional.empty(),
                Optional.of(new EnvironmentLocks.Lock("prd", "U0SRE", "rolled back from sha256:2222 by U0SRE", NOW)));
        ShowStatus.EnvironmentStatus stg = new ShowStatus.EnvironmentStatus("stg", new ShowStatus.Unknown("timed out"),
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());
        ShowStatus.EnvironmentStatus dev = new ShowStatus.EnvironmentStatus("dev", new ShowStatus.NoService(),
                Optional.of(Map.of()), false, Optional.empty(), Optional.empty(), Optional.empty());

        SlackView view = StatusViews.status(new ShowStatus.Report(List.of(prd, stg, dev), NOW));

        assertThat(view.blocks()).as("prd: 2, stg: 2, dev: 1, and 2 dividers").hasSize(7);
        assertThat(view.blocks().get(2)).isInstanceOf(DividerBlock.class);
        String first = text(view.blocks().get(0));
        assertThat(first).startsWith("*prd* runs `" + ImageRef.shortDigest(RUNNING) + "`")
                .contains("task definition `app:42`", "rollout completed", "3/3 tasks", "since <!date^" + NOW.minusSeconds(3000).getEpochSecond());
        String facts = json(view.blocks().get(1));
        assertThat(facts).contains("`release` → `" + ImageRef.shortDigest(TAGGED) + "`",
                "`release-1gen` → `" + ImageRef.shortDigest(RUNNING) + "`", "*Drift*",
                "*Waiting for approval*", "asked by <@U0DEV>", "message_ts=1700000000.000100", "*Locked*", "by <@U0SRE>",
                "rolled back from sha256:2222");
        assertThat(text(view.blocks().get(3))).isEqualTo("*stg* :grey_question: unknown (timed out)");
        assertThat(json(view.blocks().get(4))).contains("*Tags*\\nunknown");
        assertThat(text(view.blocks().get(6))).isEqualTo("*dev* has no ECS service");
        assertThat(view.fallbackText()).contains("stg: unknown (timed out)");
    }

    @Test
    void historyListsNewestFirstWithKindDigestCommitPeopleOutcomeDurationAndLink() {
        ReleaseHistory.Entry release = new ReleaseHistory.Entry("r-2", ReleaseRequest.Kind.RELEASE, "prd", CANDIDATE,
                List.of("latest", "git-def5678"), "U0DEV", List.of("U0SRE", "U0LEAD"), ReleaseState.SUCCEEDED,
                NOW.minusSeconds(900), NOW.minusSeconds(600), NOW.minusSeconds(60), null, "C0PRD", "1700000000.000200");
        ReleaseHistory.Entry rollback = new ReleaseHistory.Entry("r-1", ReleaseRequest.Kind.ROLLBACK, "prd", RUNNING,
                List.of(), "U0SRE", List.of(), ReleaseState.FAILED, NOW.minusSeconds(7200), NOW.minusSeconds(7200),
                NOW.minusSeconds(7170), "ECS deployment circuit breaker: tasks failed to start.", null, null);

        SlackView view = StatusViews.history(Optional.of("prd"), List.of(release, rollback));

        assertThat(view.blocks()).hasSize(3);
        assertThat(text(view.blocks().get(0))).isEqualTo("Latest 2 releases and rollbacks in *prd*, newest first");
        assertThat(text(view.blocks().get(1))).contains("*prd* release of `" + ImageRef.shortDigest(CANDIDATE) + "` `git-def5678`",
                "by <@U0DEV>", "approved by <@U0SRE>, <@U0LEAD>", ":white_check_mark: succeeded in 9 min",
                "channel=C0PRD&message_ts=1700000000.000200|message>");
        assertThat(text(view.blocks().get(2))).contains("rollback to `" + ImageRef.shortDigest(RUNNING) + "`",
                ":x: failed: ECS deployment circuit breaker", "in 30 s").doesNotContain("approved by", "|message>");
    }

    @Test
    void anEmptyHistorySaysSo() {
        assertThat(text(StatusViews.history(Optional.empty(), List.of()).blocks().get(0)))
                .isEqualTo("No releases or rollbacks yet in all environments.");
    }

    @Test
    void aRefusalSaysWhatStagingRunsInstead() {
        assertThat(RefusalViews.text(new Refusal.Unproven(CANDIDATE, new ProvenInStaging.RunsAnother("stg", Optional.of(RUNNING), "app:7"))))
                .contains("*stg* does not run the candidate `" + ImageRef.shortDigest(CANDIDATE) + "`",
                        "it runs `" + ImageRef.shortDigest(RUNNING) + "` (task definition `app:7`)");
        assertThat(RefusalViews.text(new Refusal.Unproven(CANDIDATE, new ProvenInStaging.RollingOut("stg", "IN_PROGRESS", NOW))))
                .contains("rollout is IN_PROGRESS");
        assertThat(RefusalViews.text(new Refusal.Unproven(CANDIDATE, new ProvenInStaging.TooRecent("stg", NOW, Duration.ofMinutes(30)))))
                .contains("only since <!date^" + NOW.getEpochSecond(), "for 30 min first");
    }

    private static String text(Object block) {
        return ((SectionBlock) block).getText().getText();
    }

    private static String json(Object block) {
        return GsonFactory.createSnakeCase().newBuilder().disableHtmlEscaping().create().toJson(block);
    }
}
