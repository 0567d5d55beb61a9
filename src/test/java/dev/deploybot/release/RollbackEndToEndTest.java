package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.AwsCall;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeCodeDeploy;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.STRANGER;
import static dev.deploybot.release.ReleaseScenario.image;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /deploy rollback}, locks, and what happens to the tags when a release fails. */
class RollbackEndToEndTest {
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static SlackRequests requests;
    private static final Map<String, ReleaseScenario> scenarios = new HashMap<>();

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        Map<String, Object> config = new HashMap<>();
        for (String name : List.of("rb1", "rb2", "rbself", "rbany", "rbfail", "rblock", "rbnone")) {
            ReleaseScenario scenario = new ReleaseScenario(aws, slack, name, "C0" + name.toUpperCase());
            if (!name.equals("rbnone")) {
                scenario.withHistory();
            }
            scenario.withEcsService(name);
            scenarios.put(name, scenario);
            config.putAll(scenario.environment(name, "ecs", Map.of("cluster", CLUSTER, "service", name, "container", "web")));
        }
        config.put("deploybot.environments.rbself.rollback.approver-may-self-approve", true);
        config.put("deploybot.environments.rbany.rollback.requires-approval", false);

        ReleaseScenario blueGreen = new ReleaseScenario(aws, slack, "rbbg", "C0RBBG").withHistory().withEcsService("rbbg");
        aws.codeDeploy().createApplication("rbbg", "rbbg-group");
        scenarios.put("rbbg", blueGreen);
        config.putAll(blueGreen.environment("rbbg", "codedeploy", Map.of("cluster", CLUSTER, "service", "rbbg",
                "container", "web", "container-port", 8080, "application", "rbbg", "deployment-group", "rbbg-group")));
        app = ReleaseScenario.app(slack, aws, config);
        requests = app.slack();
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @Test
    void aRollbackByOneNeedsSomeoneElseShiftsTheTagsBackAndLocksTheEnvironment() {
        ReleaseScenario s = scenarios.get("rb1");
        requests.slashCommand(DEV, s.channel, "/deploy", "rollback rb1");
        SlackMessage request = s.awaitRequestMessage();
        assertThat(request.allText()).contains("Rollback of rb1", "<@" + DEV + ">", "Back 1 generation",
                s.oneGenerationAgo.substring(7, 19), "git-0ld1111", s.released.substring(7, 19));

        requests.clickButton(DEV, s.channel, request.ts(), "release_approve", requestId(request));
        s.whisperTo(DEV, "someone else has to approve");
        assertThat(s.tag("release")).isEqualTo(s.released);

        requests.clickButton(LEAD, s.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> s.oneGenerationAgo.equals(s.tag("release")) && s.twoGenerationsAgo.equals(s.tag("release-1gen")));
        assertThat(s.tag("release-2gen")).as("the oldest generation keeps its image").isEqualTo(s.twoGenerationsAgo);
        JsonNode registered = await().until(() -> registered("rb1"), list -> !list.isEmpty()).get(0);
        assertThat(image(registered, "web")).isEqualTo(FakeEcr.repositoryUri("rb1") + "@" + s.oneGenerationAgo);
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("rb1")));
        aws.ecs().completeDeployment(CLUSTER, "rb1");
        assertThat(s.awaitMessage(request, "Rolled back* in").buttons()).isEmpty();

        requests.slashCommand(SRE, s.channel, "/deploy", "rb1");
        assertThat(s.whisperTo(SRE, "rb1 is locked")).contains("<@" + DEV + ">", "rolled back from `" + s.released.substring(7, 19) + "`");
        requests.slashCommand(STRANGER, s.channel, "/deploy", "unlock rb1");
        s.whisperTo(STRANGER, "Only approvers");
        requests.slashCommand(SRE, s.channel, "/deploy", "unlock rb1");
        s.whisperTo(SRE, "unlocked");
        requests.slashCommand(SRE, s.channel, "/deploy", "rb1");
        await().until(() -> slack.channelMessages(s.channel).stream().anyMatch(m -> m.allText().contains("Release to rb1")));
    }

    @Test
    void aRollbackByTwoGoesToTheOldestGeneration() {
        ReleaseScenario s = scenarios.get("rb2");
        requests.slashCommand(DEV, s.channel, "/deploy", "rollback rb2 2");
        SlackMessage request = s.awaitRequestMessage();
        requests.clickButton(SRE, s.channel, request.ts(), "release_approve", requestId(request));

        await().until(() -> s.twoGenerationsAgo.equals(s.tag("release")));
        assertThat(s.tag("release-1gen")).isEqualTo(s.oneGenerationAgo);
        assertThat(s.tag("release-2gen")).isEqualTo(s.twoGenerationsAgo);
        JsonNode registered = await().until(() -> registered("rb2"), list -> !list.isEmpty()).get(0);
        assertThat(image(registered, "web")).endsWith("@" + s.twoGenerationsAgo);
    }

    @Test
    void anApproverMayRollBackAloneWhereTheEnvironmentAllowsIt() {
        ReleaseScenario s = scenarios.get("rbself");
        requests.slashCommand(LEAD, s.channel, "/deploy", "rollback rbself");
        await().until(() -> s.oneGenerationAgo.equals(s.tag("release")));
        SlackMessage message = slack.channelMessages(s.channel).get(0);
        assertThat(s.current(message).allText()).contains("Approved by <@" + LEAD + ">");
    }

    @Test
    void anyoneMayRollBackAtOnceWhenTheEnvironmentNeedsNoApproval() {
        ReleaseScenario s = scenarios.get("rbany");
        requests.slashCommand(DEV, s.channel, "/deploy", "rollback rbany");
        await().until(() -> s.oneGenerationAgo.equals(s.tag("release")));
    }

    @Test
    void aMissingGenerationIsRefusedBeforeAnyWrite() {
        ReleaseScenario s = scenarios.get("rbnone");
        aws.ecr().createRepository("rbnone", false);
        s.released = s.push("aaa1111", "release", "latest");
        requests.slashCommand(LEAD, s.channel, "/deploy", "rollback rbnone");
        s.whisperTo(LEAD, "nothing to roll back to");
        requests.slashCommand(LEAD, s.channel, "/deploy", "rollback rbnone 5");
        s.whisperTo(LEAD, "1 to 2 generation(s)");
        assertThat(putImages("rbnone")).isEmpty();
    }

    @Test
    void aFailedReleasePutsTheTagsBackAndOffersARollback() {
        ReleaseScenario s = scenarios.get("rbfail");
        requests.slashCommand(DEV, s.channel, "/deploy", "rbfail");
        SlackMessage request = s.awaitRequestMessage();
        requests.clickButton(SRE, s.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> s.candidate.equals(s.tag("release")));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("rbfail")));

        aws.ecs().failDeployment(CLUSTER, "rbfail", FakeEcs.CIRCUIT_BREAKER_REASON);

        SlackMessage failed = s.awaitMessage(request, "tags restored");
        assertThat(failed.allText()).contains("Failed", "circuit breaker", "`release` is `" + s.released.substring(7, 19) + "` again");
        assertThat(s.tag("release")).isEqualTo(s.released);
        assertThat(s.tag("release-1gen")).isEqualTo(s.oneGenerationAgo);
        assertThat(s.tag("release-2gen")).isEqualTo(s.twoGenerationsAgo);
        assertThat(app.bean(EnvironmentLocks.class).lockOf("rbfail")).as("a failed release does not lock").isEmpty();
        assertThat(failed.buttons()).extracting(button -> button.get("action_id").asText()).containsExactly("release_rollback");

        requests.clickButton(LEAD, s.channel, request.ts(), "release_rollback", requestId(request));
        await().until(() -> slack.channelMessages(s.channel).stream().anyMatch(m -> m.allText().contains("Rollback of rbfail")));
    }

    @Test
    void aRollbackStopsAReleaseThatIsStillDeploying() {
        ReleaseScenario s = scenarios.get("rbbg");
        requests.slashCommand(DEV, s.channel, "/deploy", "rbbg");
        SlackMessage release = s.awaitRequestMessage();
        requests.clickButton(SRE, s.channel, release.ts(), "release_approve", requestId(release));
        FakeCodeDeploy.CreatedDeployment deploying = await().until(() -> aws.codeDeploy().deployments().stream()
                .filter(d -> d.applicationName().equals("rbbg")).toList(), list -> !list.isEmpty()).get(0);
        // Until the journal says DEPLOYING, tags may still be moving and a rollback is asked to wait.
        await().until(() -> app.bean(ReleaseJournal.class).find(requestId(release)).orElseThrow().state() == ReleaseState.DEPLOYING);

        requests.slashCommand(LEAD, s.channel, "/deploy", "rollback rbbg");
        SlackMessage rollback = await().until(() -> slack.channelMessages(s.channel).stream()
                .filter(m -> m.allText().contains("Rollback of rbbg")).findFirst(), found -> found.isPresent()).orElseThrow();
        requests.clickButton(SRE, s.channel, rollback.ts(), "release_approve", requestId(s.current(rollback)));

        assertThat(s.awaitMessage(release, "stopped: rollback requested by <@" + LEAD + ">").allText()).contains("Failed");
        await().until(() -> aws.codeDeploy().stoppedWithRollback(deploying.deploymentId()).orElse(false));
        await().until(() -> s.released.equals(s.tag("release")));
        FakeCodeDeploy.CreatedDeployment back = await().until(() -> aws.codeDeploy().deployments().stream()
                .filter(d -> d.applicationName().equals("rbbg")).toList(), list -> list.size() == 2).get(1);
        aws.codeDeploy().succeed(back.deploymentId());
        s.awaitMessage(rollback, "Rolled back* in");
    }

    @Test
    void aLockByHandRefusesReleasesAndSurvivesARestart() {
        ReleaseScenario s = scenarios.get("rblock");
        ReleaseScenario other = new ReleaseScenario(aws, slack, "rblock", "C0RBLOCK");
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, other.environment("rblock", "ecs",
                Map.of("cluster", CLUSTER, "service", "rblock", "container", "web")))) {
            own.slack().slashCommand(DEV, s.channel, "/deploy", "lock rblock freeze for the audit");
            own.restart();
            own.slack().slashCommand(SRE, s.channel, "/deploy", "rblock");
            assertThat(s.whisperTo(SRE, "rblock is locked")).contains("<@" + DEV + ">", "freeze for the audit");
            own.slack().slashCommand(DEV, s.channel, "/deploy", "unlock rblock");
            s.whisperTo(DEV, "Only approvers of rblock can unlock");
            assertThat(own.bean(EnvironmentLocks.class).lockOf("rblock")).isPresent();
        }
    }

    @Test
    void anInterruptedRollbackCompletesItsPlanAfterARestart() {
        ReleaseScenario s = new ReleaseScenario(aws, slack, "rbcrash", "C0RBCRASH").withHistory().withEcsService("rbcrash");
        Map<String, Object> config = new HashMap<>(s.environment("rbcrash", "ecs",
                Map.of("cluster", CLUSTER, "service", "rbcrash", "container", "web")));
        config.put("deploybot.release.housekeeping-delay", "1h");
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, config)) {
            own.slack().slashCommand(DEV, s.channel, "/deploy", "rollback rbcrash");
            SlackMessage request = s.awaitRequestMessage();
            aws.failOnCall(FakeEcr.PUT_IMAGE, 2, new AwsError(400, "ServerException", "the bot stopped here"));
            own.slack().clickButton(LEAD, s.channel, request.ts(), "release_approve", requestId(request));
            await().until(() -> putImages("rbcrash").size() == 2);
            assertThat(s.tag("release")).as("half-way: the first move landed").isEqualTo(s.oneGenerationAgo);

            own.restart(Map.of("deploybot.release.housekeeping-delay", "100ms"));

            await().until(() -> s.twoGenerationsAgo.equals(s.tag("release-1gen")));
            assertThat(s.tag("release")).isEqualTo(s.oneGenerationAgo);
            assertThat(s.tag("release-2gen")).isEqualTo(s.twoGenerationsAgo);
        }
    }

    private static List<JsonNode> registered(String family) {
        return aws.ecs().registeredTaskDefinitions().stream().filter(d -> d.get("family").asText().equals(family)).toList();
    }

    private static List<AwsCall> putImages(String repository) {
        return aws.calls(FakeEcr.PUT_IMAGE).stream()
                .filter(call -> call.request().get("repositoryName").asText().equals(repository)).toList();
    }
}
