package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.TaskDefinitionSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.awaitility.Awaitility.await;

/**
 * The world a release test starts from: a repository with three generations and a new candidate, an
 * ECS service running the current release, and the bot configured for it. Reads like the people in it.
 */
final class ReleaseScenario {
    static final String DEV = "U0DEV";
    static final String LEAD = "U0LEAD";
    static final String SRE = "U0SRE1";
    static final String STRANGER = "U0STRANGER";
    static final String SRE_GROUP = "S0SRE";
    static final String CLUSTER = "prod";

    final FakeAws aws;
    final FakeSlack slack;
    final String repository;
    final String channel;
    String twoGenerationsAgo;
    String oneGenerationAgo;
    String released;
    String candidate;

    ReleaseScenario(FakeAws aws, FakeSlack slack, String repository, String channel) {
        this.aws = aws;
        this.slack = slack;
        this.repository = repository;
        this.channel = channel;
        slack.setUsergroupMembers(SRE_GROUP, SRE, "U0SRE2");
    }

    /** Three released generations and a freshly built candidate tagged latest and with its commit. */
    ReleaseScenario withHistory() {
        return withHistory("0ld2222", "0ld1111", "abc1234", "def5678");
    }

    /** The same history built from other commits, so a second repository's images have digests of their own. */
    ReleaseScenario withHistory(String twoAgo, String oneAgo, String current, String next) {
        aws.ecr().createRepository(repository, false);
        twoGenerationsAgo = push(twoAgo, "release-2gen");
        oneGenerationAgo = push(oneAgo, "release-1gen");
        released = push(current, "release");
        candidate = push(next, "latest");
        return this;
    }

    String push(String commit, String... tags) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":7023,"
                + "\"digest\":\"sha256:" + commit.repeat(10).substring(0, 64) + "\"},\"layers\":[]}";
        String[] allTags = java.util.stream.Stream.concat(java.util.Arrays.stream(tags), java.util.stream.Stream.of("git-" + commit))
                .toArray(String[]::new);
        return aws.ecr().pushImage(repository, manifest, FakeEcr.DOCKER_MANIFEST, allTags);
    }

    ReleaseScenario withEcsService(String service) {
        aws.ecs().createService(CLUSTER, service, TaskDefinitionSpec.of(service,
                        container("web", FakeEcr.repositoryUri(repository) + ":release", 8080),
                        sidecar("log-router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"))
                .withTags(Map.of("team", "web")));
        return this;
    }

    /** The operator's configuration of one environment released from this scenario's repository. */
    Map<String, Object> environment(String name, String strategy, Map<String, Object> deploy) {
        Map<String, Object> config = new HashMap<>();
        String prefix = "deploybot.environments." + name + ".";
        config.put(prefix + "channel", channel);
        config.put(prefix + "release.repository", repository);
        config.put(prefix + "release.approvers", List.of(LEAD, SRE_GROUP));
        config.put(prefix + "release.compare-url", "https://github.com/org/app/compare/{from}...{to}");
        config.put(prefix + "deploy.strategy", strategy);
        deploy.forEach((key, value) -> config.put(prefix + "deploy." + key, value));
        return config;
    }

    static Map<String, Object> fastTimings() {
        return Map.of("deploybot.deploy.poll-interval", "50ms",
                "deploybot.slack.update-interval", "20ms",
                "deploybot.slack.outbox-interval", "20ms",
                "deploybot.slack.retry-delay", "50ms",
                "deploybot.slack.max-retry-delay", "500ms",
                "deploybot.release.housekeeping-interval", "300ms",
                "deploybot.release.housekeeping-delay", "100ms",
                "deploybot.release.lease", "5s");
    }

    SlackMessage awaitRequestMessage() {
        return await().atMost(Duration.ofSeconds(20)).until(() -> slack.channelMessages(channel).stream()
                .filter(message -> !message.buttons().isEmpty()).reduce((first, second) -> second), found -> found.isPresent()).orElseThrow();
    }

    SlackMessage current(SlackMessage message) {
        return slack.message(channel, message.ts()).orElseThrow();
    }

    SlackMessage awaitMessage(SlackMessage message, String text) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> current(message), now -> now.allText().contains(text));
    }

    static String requestId(SlackMessage message) {
        return message.buttons().get(0).get("value").asText();
    }

    String tag(String tag) {
        return aws.ecr().digestOf(repository, tag).orElse(null);
    }

    /** Waits for a private message to the user that contains the text, and returns it whole. */
    String whisperTo(String user, String containing) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> slack.ephemerals().stream()
                        .filter(call -> call.param("user").equals(user) && call.param("text").contains(containing))
                        .findFirst(), found -> found.isPresent())
                .orElseThrow().param("text");
    }

    static String image(JsonNode taskDefinition, String container) {
        for (JsonNode definition : taskDefinition.get("containerDefinitions")) {
            if (definition.get("name").asText().equals(container)) {
                return definition.get("image").asText();
            }
        }
        throw new AssertionError("no container " + container + " in " + taskDefinition);
    }

    static DeploybotApp app(FakeSlack slack, FakeAws aws, Map<String, Object> configuration) {
        Map<String, Object> all = new HashMap<>(fastTimings());
        all.putAll(configuration);
        return DeploybotApp.start(slack, aws, all);
    }
}
