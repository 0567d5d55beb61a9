package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.image;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A release to an environment with {@code release.bake}: after the deployment it bakes under its alarms, and is
 * rolled back by the bot, at once, when one of them is in ALARM, whether an event says so or CloudWatch does.
 */
class BakeEndToEndTest {
    private static final String API_KEY = "bake-test-events-key-0123456789";
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static final Map<String, ReleaseScenario> scenarios = new HashMap<>();

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        Map<String, Object> config = new HashMap<>();
        config.put("deploybot.events.http.api-key", API_KEY);
        config.put("deploybot.events.delivery.interval", "100ms");
        for (String name : List.of("bkok", "bkevent", "bkdescribe", "bkfail")) {
            ReleaseScenario scenario = new ReleaseScenario(aws, slack, name, "C0" + name.toUpperCase()).withHistory().withEcsService(name);
            scenarios.put(name, scenario);
            config.putAll(baked(scenario, name, name.equals("bkok") ? "2s" : "10m"));
        }
        config.put("deploybot.environments.bkdescribe.release.bake.check-interval", "1s");
        config.put("deploybot.environments.bkfail.release.bake.check-interval", "1s");
        app = ReleaseScenario.app(slack, aws, config);
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    private static Map<String, Object> baked(ReleaseScenario scenario, String name, String duration) {
        aws.cloudWatch().createAlarm(name + "-5xx");
        aws.cloudWatch().createAlarm(name + "-latency");
        Map<String, Object> config = new HashMap<>(scenario.environment(name, "ecs",
                Map.of("cluster", CLUSTER, "service", name, "container", "web")));
        config.put("deploybot.environments." + name + ".release.bake.duration", duration);
        config.put("deploybot.environments." + name + ".release.bake.alarms", List.of(name + "-5xx", name + "-latency"));
        return config;
    }

    @Test
    void aReleaseWhoseAlarmsStayOkBakesAndSucceeds() {
        ReleaseScenario s = scenarios.get("bkok");
        SlackMessage release = approvedAndDeployed(s, app, "bkok");

        SlackMessage baking = s.awaitMessage(release, "Baking");
        assertThat(baking.allText()).contains("min left", "`bkok-5xx` OK", "`bkok-latency` OK");
        SlackMessage done = s.awaitMessage(release, "Succeeded, baked");
        assertThat(done.allText()).contains("baked 2 s").doesNotContain("Baking");
        assertThat(s.tag("release")).isEqualTo(s.candidate);
        awaitInThread(s, release, line -> line.contains("Deployed; baking for 1 min under `bkok-5xx` OK"));
        awaitInThread(s, release, line -> line.contains("Baked 2 s with every alarm out of ALARM"));
        assertThat(app.bean(EnvironmentLocks.class).lockOf("bkok")).isEmpty();
    }

    @Test
    void anAlarmEventDuringTheBakeRollsBackAtOnceLocksAndSaysWhy() {
        ReleaseScenario s = scenarios.get("bkevent");
        SlackMessage release = approvedAndDeployed(s, app, "bkevent");
        s.awaitMessage(release, "Baking");

        Instant firedAt = Instant.now();
        AwsEvent alarm = AwsEvent.fixture("cloudwatch-alarm-state-change.json").forAlarm("bkevent-5xx", "ALARM", firedAt);
        assertThat(new EventRequests(app.url()).post(alarm.toString(), API_KEY).statusCode()).isEqualTo(202);

        assertRolledBack(s, release, "bkevent", "bkevent-5xx");
    }

    @Test
    void anAlarmWhoseEventWasLostIsSeenByDescribeAlarms() {
        ReleaseScenario s = scenarios.get("bkdescribe");
        SlackMessage release = approvedAndDeployed(s, app, "bkdescribe");
        s.awaitMessage(release, "Baking");

        aws.cloudWatch().setState("bkdescribe-latency", "ALARM", "Threshold Crossed: p99 above 2 s");

        assertRolledBack(s, release, "bkdescribe", "bkdescribe-latency");
    }

    @Test
    void aFailedAutomaticRollbackSaysSoLoudlyAndKeepsTheLock() {
        ReleaseScenario s = scenarios.get("bkfail");
        SlackMessage release = approvedAndDeployed(s, app, "bkfail");
        s.awaitMessage(release, "Baking");
        aws.cloudWatch().setState("bkfail-5xx", "ALARM", "Threshold Crossed: 42 errors");
        await().until(() -> updates("bkfail").size() == 2);

        aws.ecs().failDeployment(CLUSTER, "bkfail", FakeEcs.CIRCUIT_BREAKER_REASON);

        awaitInThread(s, release, line -> line.contains("The automatic rollback FAILED") && line.contains("<!here>")
                && line.contains("circuit breaker") && line.contains("stays locked"));
        assertThat(app.bean(EnvironmentLocks.class).lockOf("bkfail")).hasValueSatisfying(lock ->
                assertThat(lock.reason()).contains("bkfail-5xx"));
    }

    @Test
    void aBakeCutByARestartResumesWithTheTimeAlreadySpent() {
        ReleaseScenario s = new ReleaseScenario(aws, slack, "bkrestart", "C0BKRESTART").withHistory().withEcsService("bkrestart");
        Map<String, Object> config = baked(s, "bkrestart", "10s");
        try (DeploybotApp own = ReleaseScenario.app(slack, aws, config)) {
            SlackMessage release = approvedAndDeployed(s, own, "bkrestart");
            s.awaitMessage(release, "Baking");
            Instant bakeStarted = own.bean(ReleaseJournal.class).find(requestId(release)).orElseThrow().deployment().bakeStartedAt();

            own.restart();
            assertThat(own.bean(ReleaseJournal.class).find(requestId(release)).orElseThrow().state()).as("cut in the middle")
                    .isEqualTo(ReleaseState.BAKING);

            SlackMessage done = s.awaitMessage(release, "Succeeded, baked");
            ReleaseRequest baked = own.bean(ReleaseJournal.class).find(requestId(release)).orElseThrow();
            assertThat(baked.deployment().bakeStartedAt()).as("the bake was not started again").isEqualTo(bakeStarted);
            assertThat(baked.state()).isEqualTo(ReleaseState.SUCCEEDED);
            assertThat(done.allText()).contains("baked ");
            assertThat(aws.ecs().updateServiceCalls().stream().filter(call -> call.get("service").asText().equals("bkrestart")))
                    .as("nothing deployed again").hasSize(1);
        }
    }

    /** Asks for the candidate, approves it, and completes its deployment at the fake ECS. */
    private static SlackMessage approvedAndDeployed(ReleaseScenario s, DeploybotApp bot, String environment) {
        bot.slack().slashCommand(DEV, s.channel, "/deploy", environment);
        SlackMessage release = s.awaitRequestMessage();
        bot.slack().clickButton(SRE, s.channel, release.ts(), "release_approve", requestId(release));
        await().until(() -> updates(environment).size() == 1);
        aws.ecs().completeDeployment(CLUSTER, environment);
        return release;
    }

    private void assertRolledBack(ReleaseScenario s, SlackMessage release, String environment, String alarm) {
        SlackMessage failed = s.awaitMessage(release, "auto-rolled back");
        assertThat(failed.allText()).contains("Failed", "alarm `" + alarm + "` in ALARM at");

        await().until(() -> updates(environment).size() == 2);
        JsonNode back = registered(environment).get(registered(environment).size() - 1);
        assertThat(image(back, "web")).as("the previous release's digest is deployed")
                .isEqualTo(FakeEcr.repositoryUri(environment) + "@" + s.released);
        assertThat(s.tag("release")).as("tags exactly as before the release").isEqualTo(s.released);
        assertThat(s.tag("release-1gen")).isEqualTo(s.oneGenerationAgo);
        assertThat(s.tag("release-2gen")).isEqualTo(s.twoGenerationsAgo);
        assertThat(app.bean(EnvironmentLocks.class).lockOf(environment)).hasValueSatisfying(lock ->
                assertThat(lock.reason()).startsWith("auto-rolled back: alarm " + alarm + " in ALARM at "));
        awaitInThread(s, release, line -> line.contains("Rolling back now, without approval")
                && line.contains("<@" + DEV + ">") && line.contains("<@" + SRE + ">") && line.contains(alarm));

        aws.ecs().completeDeployment(CLUSTER, environment);
        SlackMessage rollback = await().until(() -> slack.channelMessages(s.channel).stream()
                .filter(m -> m.allText().contains("Automatic rollback of " + environment)).findFirst(), found -> found.isPresent()).orElseThrow();
        s.awaitMessage(rollback, "Rolled back* in");
        awaitInThread(s, release, line -> line.contains("Automatic rollback done"));
        awaitInThread(s, release, line -> line.contains("`release` → `" + s.released.substring(7, 19) + "` (was `"
                + s.candidate.substring(7, 19) + "`)"));

        app.slack().slashCommand(DEV, s.channel, "/deploy", environment);
        assertThat(s.whisperTo(DEV, environment + " is locked")).contains(alarm);
    }

    /** The release's thread tells it, sooner or later: replies are delivered by the paced outbox. */
    private static void awaitInThread(ReleaseScenario s, SlackMessage message, Predicate<String> line) {
        await().atMost(Duration.ofSeconds(20)).until(() -> slack.threadReplies(s.channel, message.ts()).stream()
                .map(SlackMessage::allText).anyMatch(line));
    }

    private static List<JsonNode> updates(String service) {
        return aws.ecs().updateServiceCalls().stream().filter(call -> call.get("service").asText().equals(service)).toList();
    }

    private static List<JsonNode> registered(String family) {
        return aws.ecs().registeredTaskDefinitions().stream().filter(d -> d.get("family").asText().equals(family)).toList();
    }
}
