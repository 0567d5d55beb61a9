package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.AwsCall;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.image;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One environment released from two repositories: the app ({@code api} into container {@code web}) and its nginx
 * ({@code api-nginx} into {@code nginx}), in a task that also runs a log router the bot must leave alone.
 */
class SeveralImagesEndToEndTest {
    private static final String LOG_ROUTER = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";

    private FakeSlack slack;
    private FakeAws aws;
    private ReleaseScenario api;
    private ReleaseScenario nginx;

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        api = new ReleaseScenario(aws, slack, "api", "C0PRD").withHistory();
        nginx = new ReleaseScenario(aws, slack, "api-nginx", "C0PRD").withHistory("0ld9999", "0ld8888", "abc7777", "def6666");
        aws.ecs().createService(CLUSTER, "api", TaskDefinitionSpec.of("api",
                container("web", FakeEcr.repositoryUri("api") + ":release", 8080),
                container("nginx", FakeEcr.repositoryUri("api-nginx") + ":release", 80),
                sidecar("log-router", LOG_ROUTER)));
    }

    @AfterEach
    void stop() {
        aws.close();
        slack.close();
    }

    @Test
    void bothImagesMoveTheirGenerationsIntoOneRevisionAndRollBackTogether() {
        try (DeploybotApp bot = ReleaseScenario.app(slack, aws, configuration())) {
            bot.slack().slashCommand(DEV, api.channel, "/deploy", "prd");
            SlackMessage request = api.awaitRequestMessage();
            assertThat(request.allText()).contains("`api` → web: `" + shortDigest(api.candidate) + "` `git-def5678`",
                    "`api-nginx` → nginx: `" + shortDigest(nginx.candidate) + "` `git-def6666`",
                    "`release` now `" + shortDigest(api.released) + "`", "`release` now `" + shortDigest(nginx.released) + "`");

            bot.slack().clickButton(LEAD, api.channel, request.ts(), "release_approve", requestId(request));

            JsonNode released = await().until(() -> registered(), list -> list.size() == 1).get(0);
            for (ReleaseScenario repository : List.of(api, nginx)) {
                assertThat(List.of(repository.tag("release"), repository.tag("release-1gen"), repository.tag("release-2gen")))
                        .as(repository.repository)
                        .containsExactly(repository.candidate, repository.released, repository.oneGenerationAgo);
            }
            assertThat(image(released, "web")).isEqualTo(FakeEcr.repositoryUri("api") + "@" + api.candidate);
            assertThat(image(released, "nginx")).isEqualTo(FakeEcr.repositoryUri("api-nginx") + "@" + nginx.candidate);
            assertThat(image(released, "log-router")).isEqualTo(LOG_ROUTER);
            finishDeployment(1);
            api.awaitMessage(request, "Succeeded");

            bot.slack().slashCommand(DEV, api.channel, "/deploy", "rollback prd");
            SlackMessage rollback = await().until(() -> slack.channelMessages(api.channel).stream()
                    .filter(message -> !message.ts().equals(request.ts()) && !message.buttons().isEmpty()).findFirst(),
                    found -> found.isPresent()).orElseThrow();
            bot.slack().clickButton(LEAD, api.channel, rollback.ts(), "release_approve", requestId(rollback));

            // The revision is registered once every tag moved.
            JsonNode rolledBack = await().until(() -> registered(), list -> list.size() == 2).get(1);
            for (ReleaseScenario repository : List.of(api, nginx)) {
                assertThat(List.of(repository.tag("release"), repository.tag("release-1gen"))).as(repository.repository)
                        .containsExactly(repository.released, repository.oneGenerationAgo);
            }
            assertThat(image(rolledBack, "web")).isEqualTo(FakeEcr.repositoryUri("api") + "@" + api.released);
            assertThat(image(rolledBack, "nginx")).isEqualTo(FakeEcr.repositoryUri("api-nginx") + "@" + nginx.released);
            assertThat(image(rolledBack, "log-router")).isEqualTo(LOG_ROUTER);
            finishDeployment(2);
            api.awaitMessage(rollback, "Rolled back* in");
        }
    }

    @Test
    void whenOnlyTheAppChangedOnlyItsTagsMoveAndNginxStaysOnItsDigest() {
        nginx.push("abc7777", "latest");
        try (DeploybotApp bot = ReleaseScenario.app(slack, aws, configuration())) {
            bot.slack().slashCommand(DEV, api.channel, "/deploy", "prd");
            SlackMessage request = api.awaitRequestMessage();
            assertThat(request.allText()).contains("`api-nginx` → nginx: `" + shortDigest(nginx.released) + "` `git-abc7777` · unchanged");

            bot.slack().clickButton(LEAD, api.channel, request.ts(), "release_approve", requestId(request));

            JsonNode registered = await().until(() -> registered(), list -> list.size() == 1).get(0);
            assertThat(image(registered, "web")).isEqualTo(FakeEcr.repositoryUri("api") + "@" + api.candidate);
            assertThat(image(registered, "nginx")).isEqualTo(FakeEcr.repositoryUri("api-nginx") + "@" + nginx.released);
            assertThat(api.tag("release-1gen")).isEqualTo(api.released);
            assertThat(List.of(nginx.tag("release"), nginx.tag("release-1gen"), nginx.tag("release-2gen")))
                    .containsExactly(nginx.released, nginx.oneGenerationAgo, nginx.twoGenerationsAgo);
            assertThat(putImages("api-nginx")).isEmpty();
            finishDeployment(1);
            api.awaitMessage(request, "Succeeded");
        }
    }

    @Test
    void aCrashBetweenTheTwoRepositoriesFinishesTheReleaseFromItsPlan() {
        Map<String, Object> configuration = configuration();
        // Nothing resumes the release before the restart: the crash is the only way forward.
        configuration.put("deploybot.release.housekeeping-delay", "1h");
        try (DeploybotApp bot = ReleaseScenario.app(slack, aws, configuration)) {
            bot.slack().slashCommand(DEV, api.channel, "/deploy", "prd");
            SlackMessage request = api.awaitRequestMessage();
            // api's three generations move, then the bot stops at nginx's first PutImage.
            aws.failOnCall(FakeEcr.PUT_IMAGE, 4, new AwsError(400, "ServerException", "the bot stopped here"));
            bot.slack().clickButton(LEAD, api.channel, request.ts(), "release_approve", requestId(request));

            await().until(() -> putImages("api-nginx").stream().anyMatch(AwsCall::failed));
            assertThat(api.tag("release")).isEqualTo(api.candidate);
            assertThat(nginx.tag("release")).isEqualTo(nginx.released);
            bot.restart(Map.of("deploybot.release.housekeeping-delay", "100ms"));

            await().until(() -> registered(), list -> list.size() == 1);
            for (ReleaseScenario repository : List.of(api, nginx)) {
                assertThat(List.of(repository.tag("release"), repository.tag("release-1gen"), repository.tag("release-2gen")))
                        .as(repository.repository)
                        .containsExactly(repository.candidate, repository.released, repository.oneGenerationAgo);
            }
            finishDeployment(1);
            api.awaitMessage(request, "Succeeded");
            JsonNode registered = registered().get(0);
            assertThat(image(registered, "web")).isEqualTo(FakeEcr.repositoryUri("api") + "@" + api.candidate);
            assertThat(image(registered, "nginx")).isEqualTo(FakeEcr.repositoryUri("api-nginx") + "@" + nginx.candidate);
            assertThat(registered()).hasSize(1);
            assertThat(putImages("api")).as("api's moves are not made again").hasSize(3);
        }
    }

    @Test
    void theMigrationTaskRunsTheReleasedImagesBeforeTheDeployment() {
        Map<String, Object> configuration = configuration();
        configuration.put("deploybot.environments.prd.deploy.migration.container", "web");
        configuration.put("deploybot.environments.prd.deploy.migration.command", List.of("bin/migrate", "up"));
        try (DeploybotApp bot = ReleaseScenario.app(slack, aws, configuration)) {
            bot.slack().slashCommand(DEV, api.channel, "/deploy", "prd");
            SlackMessage request = api.awaitRequestMessage();
            bot.slack().clickButton(LEAD, api.channel, request.ts(), "release_approve", requestId(request));

            JsonNode task = await().until(() -> aws.ecs().tasks().stream().findFirst(), Optional::isPresent).orElseThrow();
            JsonNode migration = aws.ecs().taskDefinition(task.get("taskDefinitionArn").asText()).orElseThrow();
            assertThat(image(migration, "web")).isEqualTo(FakeEcr.repositoryUri("api") + "@" + api.candidate);
            assertThat(image(migration, "nginx")).isEqualTo(FakeEcr.repositoryUri("api-nginx") + "@" + nginx.candidate);
            assertThat(aws.ecs().updateServiceCalls()).as("nothing deployed while migrating").isEmpty();

            aws.ecs().exitTask(task.get("taskArn").asText(), 0);
            finishDeployment(1);
            api.awaitMessage(request, "Succeeded");
        }
    }

    @Test
    void whenNeitherImageChangedThereIsNothingToRelease() {
        api.push("abc1234", "latest");
        nginx.push("abc7777", "latest");
        try (DeploybotApp bot = ReleaseScenario.app(slack, aws, configuration())) {
            bot.slack().slashCommand(DEV, api.channel, "/deploy", "prd");

            assertThat(api.whisperTo(DEV, "Nothing to release")).contains("`api`", "`api-nginx`", "`latest` and `release`");
            assertThat(slack.channelMessages(api.channel)).noneMatch(message -> !message.buttons().isEmpty());
        }
    }

    /** {@code prd} releases both repositories, the app by default; its deploy settings name no container. */
    private Map<String, Object> configuration() {
        Map<String, Object> configuration = new HashMap<>(api.environment("prd", "ecs", Map.of("cluster", CLUSTER, "service", "api")));
        configuration.remove("deploybot.environments.prd.release.repository");
        configuration.put("deploybot.environments.prd.release.images", List.of(
                Map.of("repository", "api-nginx", "container", "nginx"),
                Map.of("repository", "api", "container", "web", "default", true)));
        return configuration;
    }

    private List<JsonNode> registered() {
        return aws.ecs().registeredTaskDefinitions().stream().filter(definition -> definition.get("family").asText().equals("api")).toList();
    }

    private void finishDeployment(int updates) {
        await().until(() -> aws.ecs().updateServiceCalls().size() == updates);
        aws.ecs().completeDeployment(CLUSTER, "api");
    }

    private List<AwsCall> putImages(String repository) {
        return aws.calls(FakeEcr.PUT_IMAGE).stream()
                .filter(call -> call.request().get("repositoryName").asText().equals(repository)).toList();
    }

    private static String shortDigest(String digest) {
        return digest.substring(7, 19);
    }
}
