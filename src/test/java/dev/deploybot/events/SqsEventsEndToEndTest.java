package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseTestData;
import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.ElasticMq;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackCall;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * EventBridge into Slack through a real SQS server: events go into the queue as EventBridge puts them there,
 * the app polls it, and the test reads what the fake Slack was told.
 */
class SqsEventsEndToEndTest {
    private static final String STG = "C0STG";
    private static final String CI = "C0CI";
    private static final String OPS = "C0OPS";
    private static final String PRD = "C0PRD";
    private static final String ALICE = "U0ALICE";
    private static final String EVE = "U0EVE";
    private static FakeSlack slack;
    private static FakeAws aws;
    private static ElasticMq sqs;
    private static ElasticMq.Queues queues;
    private static DeploybotApp app;
    private static SlackRequests requests;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        aws.codeBuild().createProject("app-stg");
        sqs = ElasticMq.start();
        queues = sqs.createQueues("deploybot-events", 2);
        sqs.pointAppAtIt();
        app = DeploybotApp.start(slack, aws, Map.ofEntries(
                Map.entry("deploybot.environments.stg.channel", STG),
                Map.entry("deploybot.environments.stg.build.project", "app-stg"),
                Map.entry("deploybot.events.sqs.queue-url", queues.url()),
                Map.entry("deploybot.events.sqs.wait-time", "1s"),
                Map.entry("deploybot.events.sqs.visibility-timeout", "10s"),
                Map.entry("deploybot.events.sqs.retry-delay", "0s"),
                Map.entry("deploybot.events.delivery.interval", "200ms"),
                Map.entry("deploybot.slack.retry-delay", "200ms"),
                Map.entry("deploybot.slack.update-interval", "0s"),
                Map.entry("deploybot.events.reconcile.interval", "1s"),
                Map.entry("deploybot.events.routes.ci.codebuild-project", "app-ci"),
                Map.entry("deploybot.events.routes.ci.channel", CI),
                Map.entry("deploybot.events.routes.web.ecs-service", "default/servicetest"),
                Map.entry("deploybot.events.routes.web.channel", OPS),
                Map.entry("deploybot.events.routes.web.states", "IN_PROGRESS,SUCCEEDED"),
                Map.entry("deploybot.events.routes.api.codedeploy-application", "app-prd"),
                Map.entry("deploybot.events.routes.api.channel", OPS)));
        requests = app.slack();
    }

    @AfterAll
    static void stop() {
        app.close();
        sqs.close();
        aws.close();
        slack.close();
    }

    @BeforeEach
    void forgetEarlierCalls() {
        slack.reset();
    }

    @Test
    void aFailedBuildIsPostedOnceWithItsPhaseReasonAndLogsHoweverOftenItIsDelivered() {
        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json").forBuild(newBuildId("app-ci"));
        for (int delivery = 0; delivery < 3; delivery++) {
            sqs.send(queues.url(), failed.toString());
        }

        SlackMessage message = await().until(() -> slack.channelMessages(CI), messages -> !messages.isEmpty()).get(0);
        assertThat(message.allText())
                .contains("*app-ci* build #55", "failed", "Failed in *BUILD*",
                        "COMMAND_EXECUTION_ERROR: Error while executing command: ./gradlew test. Reason: exit status 1",
                        "ref `refs/heads/main`", "started by `codepipeline/app-pipeline`", "took 1m 57s");
        assertThat(message.buttons()).anySatisfy(button -> assertThat(button.path("url").asText())
                .isEqualTo(failed.json().at("/detail/additional-information/logs/deep-link").asText()));
        assertThat(message.buttons()).as("no environment builds app-ci: nobody could retry it")
                .noneMatch(button -> button.path("action_id").asText().equals("build_retry"));
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        await().during(Duration.ofSeconds(1)).until(() -> slack.channelMessages(CI).size() == 1);

        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-in-progress.json").forBuild(buildIdOf(failed)).toString());
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        await().during(Duration.ofSeconds(1)).until(() -> slack.channelMessages(CI).equals(List.of(message)));
        assertThat(slack.calls("chat.update")).as("a late IN_PROGRESS changes nothing").isEmpty();
    }

    @Test
    void aBuildTheBotStartedGetsItsOwnMessageUpdatedAndAReplyInItsThread() {
        JsonNode build = startStagingBuild("feature/events");
        SlackMessage started = await().until(() -> slack.channelMessages(STG), list -> !list.isEmpty()).get(0);

        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-failed.json").forBuild(build).toString());

        SlackMessage updated = await().until(() -> slack.message(STG, started.ts()).orElseThrow(),
                message -> message.allText().contains("failed"));
        assertThat(updated.allText()).contains("*stg* build #" + build.get("buildNumber").asLong(), "<@" + ALICE + ">",
                "ref `feature/events`", "Failed in *BUILD*", "exit status 1");
        assertThat(updated.buttons()).anySatisfy(button -> assertThat(button.path("url").asText())
                .isEqualTo(build.path("logs").path("deepLink").asText()));
        SlackMessage reply = await().until(() -> slack.threadReplies(STG, started.ts()), list -> !list.isEmpty()).get(0);
        assertThat(reply.allText()).contains("failed", "in BUILD", "<@" + ALICE + ">", "exit status 1");
        assertThat(reply.buttons()).anySatisfy(button -> assertThat(button.path("action_id").asText()).isEqualTo("build_retry"));
        assertThat(slack.channelMessages(STG)).as("no second top-level message").hasSize(1);
    }

    @Test
    void retryStartsTheSameBuildAgainForTheRequesterOnlyOnceHoweverOftenClicked() {
        JsonNode build = startStagingBuild("release/1.2");
        String buildId = build.get("id").asText();
        SlackMessage started = await().until(() -> slack.channelMessages(STG), list -> !list.isEmpty()).get(0);
        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-failed.json").forBuild(build).toString());
        await().until(() -> slack.threadReplies(STG, started.ts()).size() == 1);
        int before = aws.codeBuild().startedBuilds().size();

        requests.clickButton(EVE, STG, started.ts(), "build_retry", buildId);
        SlackCall refusal = await().until(() -> slack.ephemerals(), list -> !list.isEmpty()).get(0);
        assertThat(refusal.param("user")).isEqualTo(EVE);
        assertThat(refusal.param("text")).contains("Only <@" + ALICE + ">");

        requests.clickButton(ALICE, STG, started.ts(), "build_retry", buildId);
        requests.clickButton(ALICE, STG, started.ts(), "build_retry", buildId);
        JsonNode retried = await().until(() -> aws.codeBuild().startedBuilds(), builds -> builds.size() == before + 1).get(before);
        assertThat(retried.get("sourceVersion").asText()).isEqualTo("release/1.2");
        assertThat(retried.get("projectName").asText()).isEqualTo("app-stg");
        await().until(() -> aws.calls("CodeBuild_20161006.StartBuild").stream()
                .filter(call -> call.request().path("sourceVersion").asText().equals("release/1.2")).count() == 3);
        assertThat(aws.codeBuild().startedBuilds()).as("two clicks, one build").hasSize(before + 1);
    }

    @Test
    void whenSlackFailsTheEventWaitsAndIsPostedExactlyOnceWhenSlackIsBack() {
        slack.failAlways("chat.postMessage", FakeSlack.Failure.serverError());
        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-failed.json").forBuild(newBuildId("app-ci")).toString());

        await().until(() -> slack.calls("chat.postMessage").size() >= 4);
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        assertThat(slack.channelMessages(CI)).isEmpty();

        slack.recover();
        await().until(() -> slack.channelMessages(CI).size() == 1);
        await().during(Duration.ofSeconds(1)).until(() -> slack.channelMessages(CI).size() == 1);
        assertThat(slack.calls("chat.postMessage").stream().filter(call -> !call.failed())).hasSize(1);
    }

    @Test
    void aRateLimitIsWaitedOutForAsLongAsSlackSays() {
        slack.failNext("chat.postMessage", 1, FakeSlack.Failure.rateLimited(2));
        Instant sent = Instant.now();
        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-failed.json").forBuild(newBuildId("app-ci")).toString());

        await().until(() -> slack.channelMessages(CI).size() == 1);
        assertThat(Duration.between(sent, Instant.now())).as("Retry-After: 2").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(slack.calls("chat.postMessage")).extracting(SlackCall::failed).containsExactly(true, false);
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueWhileOtherEventsFlow() {
        int deadLetters = sqs.approximateCount(queues.deadLetterUrl());
        sqs.send(queues.url(), "this is not an event");
        sqs.send(queues.url(), "{\"id\":\"no-detail\",\"detail-type\":\"CodeBuild Build State Change\"}");
        sqs.send(queues.url(), AwsEvent.fixture("codebuild-build-failed.json").forBuild(newBuildId("app-ci")).toString());

        await().until(() -> slack.channelMessages(CI).size() == 1);
        await().until(() -> sqs.approximateCount(queues.deadLetterUrl()) == deadLetters + 2);
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        assertThat(sqs.receive(queues.deadLetterUrl())).extracting(message -> message.body())
                .contains("this is not an event");
    }

    @Test
    void unknownDetailTypesAreCountedUnderOneLabelAndDropped() {
        MeterRegistry meters = app.bean(MeterRegistry.class);
        int deadLetters = sqs.approximateCount(queues.deadLetterUrl());
        Counter ignored = meters.get("deploybot.events.ignored").tag("reason", "unknown-detail-type").tag("detail-type", "other").counter();
        double before = ignored.count();
        sqs.send(queues.url(), AwsEvent.fixture("ec2-instance-state-change.json").withNewId().toString());
        await().until(() -> ignored.count() > before);
        assertThat(meters.find("deploybot.events.received").tag("detail-type", "EC2 Instance State-change Notification").counters())
                .as("outside text never names a metric series").isEmpty();
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        assertThat(sqs.approximateCount(queues.deadLetterUrl())).isEqualTo(deadLetters);
    }

    @Test
    void aBuildWhoseFinalEventWasLostIsFinishedByTheReconciler() {
        JsonNode build = startStagingBuild("hotfix/1");
        SlackMessage started = await().until(() -> slack.channelMessages(STG), list -> !list.isEmpty()).get(0);

        aws.codeBuild().completeBuild(build.get("id").asText(), "FAILED", "POST_BUILD", "Reason: exit status 2");

        SlackMessage updated = await().until(() -> slack.message(STG, started.ts()).orElseThrow(),
                message -> message.allText().contains("failed"));
        assertThat(updated.allText()).contains("Failed in *POST_BUILD*", "Reason: exit status 2");
        SlackMessage reply = await().until(() -> slack.threadReplies(STG, started.ts()), list -> !list.isEmpty()).get(0);
        assertThat(reply.allText()).contains("in POST_BUILD", "<@" + ALICE + ">");
        assertThat(reply.buttons()).anySatisfy(button -> assertThat(button.path("url").asText())
                .isEqualTo(build.path("logs").path("deepLink").asText()));
    }

    @Test
    void anEcsDeploymentIsPostedToItsRouteAndThatMessageKeptCurrent() {
        String deploymentId = "ecs-svc/" + UUID.randomUUID();
        sqs.send(queues.url(), AwsEvent.fixture("ecs-deployment-in-progress.json").withNewId()
                .withDetail("deploymentId", deploymentId).toString());
        SlackMessage posted = await().until(() -> slack.channelMessages(OPS), list -> !list.isEmpty()).get(0);
        assertThat(posted.allText()).contains("default/servicetest", deploymentId, "in progress");

        sqs.send(queues.url(), AwsEvent.fixture("ecs-deployment-failed.json").withNewId()
                .withDetail("deploymentId", deploymentId).toString());
        await().until(() -> slack.message(OPS, posted.ts()).orElseThrow().allText().contains("failed"));
        assertThat(slack.message(OPS, posted.ts()).orElseThrow().allText()).contains("circuit breaker: task failed to start");
        assertThat(slack.channelMessages(OPS)).hasSize(1);
    }

    @Test
    void aCodeDeployFailureIsPostedToItsRoute() {
        sqs.send(queues.url(), AwsEvent.fixture("codedeploy-deployment-failure.json").withNewId()
                .withDetail("deploymentId", "d-" + UUID.randomUUID().toString().substring(0, 9).toUpperCase()).toString());
        SlackMessage posted = await().until(() -> slack.channelMessages(OPS), list -> !list.isEmpty()).get(0);
        assertThat(posted.allText()).contains("CodeDeploy", "app-prd/app-prd-group", "failed");
    }

    @Test
    void aDeploymentOfAReleaseIsLeftToTheReleasesOwnNarrator() {
        String deploymentId = "ecs-svc/" + UUID.randomUUID();
        ReleaseJournal releases = app.bean(ReleaseJournal.class);
        String releaseId = UUID.randomUUID().toString();
        ReleaseRequest release = ReleaseTestData.aRelease().withId(releaseId).in("prd-" + releaseId.substring(0, 8)).requestedBy(ALICE)
                .deploying(deploymentId, "arn:aws:ecs:eu-west-1:123456789012:task-definition/app:9").build();
        releases.open(ReleaseTestData.aRelease().withId(releaseId).in(release.environment()).build());
        releases.save(release);
        Outbox outbox = app.bean(Outbox.class);
        outbox.show(ReleaseThreads.messageKey(releaseId), PRD, new Outbox.Content("release", null), Instant.now());
        String releaseTs = await().until(() -> outbox.messageTs(ReleaseThreads.messageKey(releaseId)), Optional::isPresent).orElseThrow();

        AwsEvent inProgress = AwsEvent.fixture("ecs-deployment-in-progress.json").withNewId()
                .withDetail("deploymentId", deploymentId);
        AwsEvent failed = AwsEvent.fixture("ecs-deployment-failed.json").withNewId().withDetail("deploymentId", deploymentId);
        MeterRegistry meters = app.bean(MeterRegistry.class);
        double before = narrated(meters);
        sqs.send(queues.url(), inProgress.toString());
        sqs.send(queues.url(), failed.toString());

        await().until(() -> narrated(meters) == before + 2);
        await().during(Duration.ofSeconds(1)).until(() -> slack.threadReplies(PRD, releaseTs).isEmpty());
        assertThat(slack.channelMessages(OPS)).as("nor in the route's channel: the release tells its own story").isEmpty();
    }

    @Test
    void theHttpDoorIsClosedWithoutAnApiKey() {
        assertThat(new EventRequests(app.url()).post(AwsEvent.fixture("codebuild-build-failed.json").toString(), "anything")
                .statusCode()).isEqualTo(404);
    }

    private static double narrated(MeterRegistry meters) {
        return meters.find("deploybot.events.handled").tag("outcome", "releasenarrated").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    private static JsonNode startStagingBuild(String ref) {
        int before = aws.codeBuild().startedBuilds().size();
        requests.slashCommand(ALICE, STG, "/deploy", "stg " + ref);
        return await().until(() -> aws.codeBuild().startedBuilds(), builds -> builds.size() == before + 1).get(before);
    }

    private static String newBuildId(String project) {
        return project + ":" + UUID.randomUUID();
    }

    private static String buildIdOf(AwsEvent event) {
        String arn = event.json().at("/detail/build-id").asText();
        return arn.substring(arn.indexOf(":build/") + ":build/".length());
    }
}
