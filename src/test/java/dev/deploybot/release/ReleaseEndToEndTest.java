package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
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

import java.time.Duration;
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

/** {@code /deploy prd} through approval, tag promotion and each deploy strategy, over real HTTP. */
class ReleaseEndToEndTest {
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static SlackRequests requests;
    private static ReleaseScenario ecs;
    private static ReleaseScenario failing;
    private static ReleaseScenario blueGreen;
    private static ReleaseScenario delegated;
    private static ReleaseScenario multiArch;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        ecs = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        failing = new ReleaseScenario(aws, slack, "app-f", "C0FAIL").withHistory().withEcsService("web-f");
        blueGreen = new ReleaseScenario(aws, slack, "app-bg", "C0BG").withHistory().withEcsService("web-bg");
        aws.codeDeploy().createApplication("web-bg", "web-bg-group");
        delegated = new ReleaseScenario(aws, slack, "app-cb", "C0CB").withHistory();
        aws.codeBuild().createProject("app-prod-deploy");
        multiArch = new ReleaseScenario(aws, slack, "app-multi", "C0MULTI").withHistory().withEcsService("web-multi");

        Map<String, Object> config = new HashMap<>();
        config.putAll(ecs.environment("prd", "ecs", Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.putAll(failing.environment("prd-f", "ecs", Map.of("cluster", CLUSTER, "service", "web-f", "container", "web")));
        config.putAll(blueGreen.environment("prd-bg", "codedeploy", Map.of("cluster", CLUSTER, "service", "web-bg",
                "container", "web", "container-port", 8080, "application", "web-bg", "deployment-group", "web-bg-group")));
        config.putAll(delegated.environment("prd-cb", "codebuild", Map.of("project", "app-prod-deploy")));
        config.putAll(multiArch.environment("prd-multi", "ecs", Map.of("cluster", CLUSTER, "service", "web-multi", "container", "web")));
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
    void anApprovedReleasePromotesEveryGenerationAndRollsTheServiceOut() {
        requests.slashCommand(DEV, "C0ANYWHERE", "/deploy", "prd fixes the login page");
        SlackMessage request = ecs.awaitRequestMessage();
        assertThat(request.allText())
                .contains("<@" + DEV + ">", "fixes the login page", ecs.candidate.substring(7, 19), "git-def5678",
                        ecs.released.substring(7, 19), "https://github.com/org/app/compare/git-abc1234...git-def5678")
                .contains("expires");
        assertThat(request.buttons()).extracting(button -> button.get("action_id").asText())
                .containsExactly("release_approve", "release_reject", "release_cancel");
        assertThat(request.buttons().get(0).has("confirm")).as("Approve asks for confirmation").isTrue();
        String id = requestId(request);

        requests.clickButton(DEV, ecs.channel, request.ts(), "release_approve", id);
        ecs.whisperTo(DEV, "someone else has to approve");
        requests.clickButton(STRANGER, ecs.channel, request.ts(), "release_approve", id);
        ecs.whisperTo(STRANGER, "not on the approver list");
        assertThat(aws.ecr().putImageCalls()).noneMatch(call -> call.request().get("repositoryName").asText().equals("app"));
        assertThat(ecs.current(request).buttons()).hasSize(3);

        requests.clickButton(SRE, ecs.channel, request.ts(), "release_approve", id);
        SlackMessage approved = ecs.awaitMessage(request, "Approved by <@" + SRE + ">");
        assertThat(approved.buttons()).isEmpty();

        JsonNode registered = await().until(() -> aws.ecs().registeredTaskDefinitions(), list -> !list.isEmpty())
                .stream().filter(definition -> definition.get("family").asText().equals("web")).findFirst().orElseThrow();
        assertThat(image(registered, "web")).isEqualTo(FakeEcr.repositoryUri("app") + "@" + ecs.candidate);
        assertThat(image(registered, "log-router")).endsWith("aws-for-fluent-bit:stable");
        assertThat(ecs.tag("release")).isEqualTo(ecs.candidate);
        assertThat(ecs.tag("release-1gen")).isEqualTo(ecs.released);
        assertThat(ecs.tag("release-2gen")).isEqualTo(ecs.oneGenerationAgo);
        assertThat(ecs.tag("latest")).isEqualTo(ecs.candidate);

        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web")));
        aws.ecs().completeDeployment(CLUSTER, "web");
        SlackMessage done = ecs.awaitMessage(request, "Succeeded");
        assertThat(done.allText()).contains("Approved by <@" + SRE + ">");
        // The thread is delivered by the outbox at Slack's pace, so it may still be catching up with the message.
        await().untilAsserted(() -> assertThat(slack.threadReplies(ecs.channel, request.ts())).extracting(SlackMessage::allText)
                .anyMatch(line -> line.contains("`release-2gen`"))
                .anyMatch(line -> line.contains("Task definition registered")));
        assertThat(aws.ecs().updateServiceCalls()).filteredOn(call -> call.get("service").asText().equals("web")).hasSize(1);
        ReleaseRequest stored = app.bean(ReleaseJournal.class).find(id).orElseThrow();
        assertThat(stored.state()).isEqualTo(ReleaseState.SUCCEEDED);
        assertThat(stored.decision().decidedBy()).isEqualTo(SRE);

        requests.clickButton(LEAD, ecs.channel, request.ts(), "release_approve", id);
        ecs.whisperTo(LEAD, "no longer open");
    }

    @Test
    void aCircuitBreakerRollbackIsAFailureEvenThoughTheServiceIsStable() {
        requests.slashCommand(DEV, failing.channel, "/deploy", "prd-f");
        SlackMessage request = failing.awaitRequestMessage();
        requests.clickButton(LEAD, failing.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-f")));

        aws.ecs().failDeployment(CLUSTER, "web-f", FakeEcs.CIRCUIT_BREAKER_REASON);

        SlackMessage failed = failing.awaitMessage(request, "Failed");
        assertThat(failed.allText()).contains("circuit breaker");
        assertThat(app.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow().state()).isEqualTo(ReleaseState.FAILED);
    }

    @Test
    void aBlueGreenReleaseGoesThroughCodeDeploy() {
        requests.slashCommand(DEV, blueGreen.channel, "/deploy", "prd-bg");
        SlackMessage request = blueGreen.awaitRequestMessage();
        requests.clickButton(SRE, blueGreen.channel, request.ts(), "release_approve", requestId(request));

        FakeCodeDeploy.CreatedDeployment deployment = await().until(() -> aws.codeDeploy().deployments(), list -> !list.isEmpty()).get(0);
        assertThat(deployment.appSpecContent()).contains("web").contains("8080").contains(":task-definition/web-bg:2");
        JsonNode registered = aws.ecs().taskDefinition("web-bg:2").orElseThrow();
        assertThat(image(registered, "web")).isEqualTo(FakeEcr.repositoryUri("app-bg") + "@" + blueGreen.candidate);
        assertThat(blueGreen.tag("release")).isEqualTo(blueGreen.candidate);

        aws.codeDeploy().succeed(deployment.deploymentId());
        blueGreen.awaitMessage(request, "Succeeded");
    }

    @Test
    void aDelegatedReleaseStartsTheProductionBuildWithTheDigest() {
        requests.slashCommand(DEV, delegated.channel, "/deploy", "prd-cb");
        SlackMessage request = delegated.awaitRequestMessage();
        requests.clickButton(SRE, delegated.channel, request.ts(), "release_approve", requestId(request));

        JsonNode build = await().until(() -> aws.codeBuild().startedBuilds().stream()
                .filter(started -> started.get("projectName").asText().equals("app-prod-deploy")).findFirst(), found -> found.isPresent())
                .orElseThrow();
        assertThat(build.toString()).contains(delegated.candidate).contains(FakeEcr.repositoryUri("app-cb") + "@" + delegated.candidate);
        assertThat(delegated.tag("release")).isEqualTo(delegated.candidate);

        aws.codeBuild().completeBuild(build.get("id").asText(), "SUCCEEDED");
        delegated.awaitMessage(request, "Succeeded");
    }

    @Test
    void aMultiArchIndexIsPromotedWithItsManifestAndMediaTypeUnchanged() {
        String index = "{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"application/vnd.oci.image.index.v1+json\",\n"
                + "   \"manifests\": [ {\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":1234,"
                + "\"digest\":\"sha256:" + "1".repeat(64) + "\",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},\n"
                + "      {\"digest\":\"sha256:" + "2".repeat(64) + "\",\"size\":1235,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}} ]\n}";
        String digest = aws.ecr().pushImage("app-multi", index, FakeEcr.OCI_INDEX, "latest", "git-0ff1ce0");

        requests.slashCommand(DEV, multiArch.channel, "/deploy", "prd-multi");
        SlackMessage request = multiArch.awaitRequestMessage();
        requests.clickButton(LEAD, multiArch.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> digest.equals(multiArch.tag("release")));

        assertThat(aws.ecr().manifestOf("app-multi", digest)).contains(index);
        assertThat(aws.ecr().mediaTypeOf("app-multi", digest)).contains(FakeEcr.OCI_INDEX);
        assertThat(aws.ecr().putImageCalls()).filteredOn(call -> call.request().get("imageTag").asText().equals("release")
                        && call.request().get("repositoryName").asText().equals("app-multi"))
                .allSatisfy(call -> {
                    assertThat(call.request().get("imageManifest").asText()).isEqualTo(index);
                    assertThat(call.request().get("imageManifestMediaType").asText()).isEqualTo(FakeEcr.OCI_INDEX);
                });
        assertThat(multiArch.tag("release-1gen")).isEqualTo(multiArch.released);
    }

    @Test
    void requestsThatCannotBeReleasedAreRefusedPrivately() {
        ReleaseScenario refusals = new ReleaseScenario(aws, slack, "app-r", "C0R");
        aws.ecr().createRepository("app-r", false);
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, refusals.environment("prd-r", "ecs",
                Map.of("cluster", CLUSTER, "service", "web-r")))) {
            SlackRequests signed = own.slack();
            signed.slashCommand(DEV, "C0R", "/deploy", "prd-r");
            refusals.whisperTo(DEV, "no image tagged `latest`");

            refusals.released = refusals.push("aaa1111", "latest", "release");
            signed.slashCommand(DEV, "C0R", "/deploy", "prd-r");
            refusals.whisperTo(DEV, "Nothing to release");

            refusals.push("bbb2222", "latest");
            signed.slashCommand(DEV, "C0R", "/deploy", "prd-r");
            SlackMessage pending = refusals.awaitRequestMessage();
            signed.slashCommand(LEAD, "C0R", "/deploy", "prd-r");
            assertThat(refusals.whisperTo(LEAD, "already waiting for approval")).contains(pending.ts());

            own.slack().clickButton(DEV, "C0R", pending.ts(), "release_cancel", requestId(pending));
            refusals.awaitMessage(pending, "Cancelled by <@" + DEV + ">");
            aws.ecr().setTagsImmutable("app-r", true);
            signed.slashCommand(DEV, "C0R", "/deploy", "prd-r");
            refusals.whisperTo(DEV, "immutable tags");
            assertThat(aws.ecr().putImageCalls()).noneMatch(call -> call.request().get("repositoryName").asText().equals("app-r"));
        }
    }

    @Test
    void tagsThatBecameImmutableAreRefusedBeforeAnyWrite() {
        ReleaseScenario immutable = new ReleaseScenario(aws, slack, "app-i", "C0I").withHistory();
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, immutable.environment("prd-i", "ecs",
                Map.of("cluster", CLUSTER, "service", "web-i")))) {
            own.slack().slashCommand(DEV, "C0I", "/deploy", "prd-i");
            SlackMessage request = immutable.awaitRequestMessage();
            aws.ecr().setTagsImmutable("app-i", true);
            own.slack().clickButton(LEAD, "C0I", request.ts(), "release_approve", requestId(request));

            assertThat(immutable.awaitMessage(request, "Failed").allText()).contains("immutable").contains("MUTABLE");
            assertThat(aws.ecr().putImageCalls()).noneMatch(call -> call.request().get("repositoryName").asText().equals("app-i"));
            assertThat(immutable.tag("release")).isEqualTo(immutable.released);
        }
    }

    @Test
    void anUnansweredRequestExpiresAndLosesItsButtons() {
        ReleaseScenario expiring = new ReleaseScenario(aws, slack, "app-e", "C0E").withHistory();
        Map<String, Object> config = new HashMap<>(expiring.environment("prd-e", "ecs", Map.of("cluster", CLUSTER, "service", "web-e")));
        config.put("deploybot.environments.prd-e.release.expires-after", "1m");
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, config)) {
            own.slack().slashCommand(DEV, "C0E", "/deploy", "prd-e");
            SlackMessage request = expiring.awaitRequestMessage();
            own.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow();
            // Time passes for the bot: the expiry check runs with a clock a minute ahead.
            new ExpireRequests(own.bean(ReleaseJournal.class), own.bean(ReleaseAnnouncer.class),
                    own.bean(dev.deploybot.core.AuditTrail.class),
                    java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(2))).expire();
            SlackMessage expired = expiring.awaitMessage(request, "Expired");
            assertThat(expired.buttons()).isEmpty();
            own.slack().clickButton(LEAD, "C0E", request.ts(), "release_approve", requestId(request));
            expiring.whisperTo(LEAD, "no longer open");
            assertThat(List.of(expiring.tag("release"))).containsExactly(expiring.released);
        }
    }

    @Test
    void twoRequiredApprovalsNeedTwoDifferentPeople() {
        ReleaseScenario twoKeys = new ReleaseScenario(aws, slack, "app-2", "C0TWO").withHistory().withEcsService("web-2");
        Map<String, Object> config = new HashMap<>(twoKeys.environment("prd-2", "ecs",
                Map.of("cluster", CLUSTER, "service", "web-2", "container", "web")));
        config.put("deploybot.environments.prd-2.release.required-approvals", 2);
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, config)) {
            own.slack().slashCommand(DEV, "C0TWO", "/deploy", "prd-2");
            SlackMessage request = twoKeys.awaitRequestMessage();
            assertThat(request.allText()).contains("Waiting for 2 approval(s)");

            own.slack().clickButton(LEAD, "C0TWO", request.ts(), "release_approve", requestId(request));
            twoKeys.whisperTo(LEAD, "1 of 2");
            SlackMessage once = twoKeys.awaitMessage(request, "approved so far by <@" + LEAD + ">");
            assertThat(once.buttons()).hasSize(3);
            own.slack().clickButton(LEAD, "C0TWO", request.ts(), "release_approve", requestId(request));
            twoKeys.whisperTo(LEAD, "already approved");
            assertThat(twoKeys.tag("release")).isEqualTo(twoKeys.released);

            own.slack().clickButton(SRE, "C0TWO", request.ts(), "release_approve", requestId(request));
            await().until(() -> twoKeys.candidate.equals(twoKeys.tag("release")));
            assertThat(twoKeys.awaitMessage(request, "Approved by").allText()).contains("<@" + LEAD + ">", "<@" + SRE + ">");
        }
    }
}
