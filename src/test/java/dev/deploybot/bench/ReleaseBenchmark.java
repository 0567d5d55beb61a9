package dev.deploybot.bench;

import dev.deploybot.testing.AwsCall;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import dev.deploybot.testing.TaskDefinitionSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.testing.TaskDefinitionSpec.container;

/**
 * One production release against the wire fakes, ECS rolling strategy: how many AWS calls it makes, and the wall
 * time from the approver's click to the {@code UpdateService} that puts the image into service.
 */
final class ReleaseBenchmark {
    private static final String UPDATE_SERVICE = "AmazonEC2ContainerServiceV20141113.UpdateService";
    private static final String CHANNEL = "C0PRD";
    private static final String LEAD = "U0LEAD";

    private ReleaseBenchmark() {
    }

    static List<Row> measure() throws InterruptedException {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            aws.ecr().createRepository("team/app", false);
            push(aws, "abc1234", "release");
            push(aws, "def5678", "latest");
            aws.ecs().createService("prod", "web", TaskDefinitionSpec.of("web",
                    container("web", FakeEcr.repositoryUri("team/app") + ":release", 8080)));
            String prefix = "deploybot.environments.prd.";
            try (DeploybotApp app = DeploybotApp.start(slack, aws, Map.of(
                    prefix + "channel", CHANNEL,
                    prefix + "release.repository", "team/app",
                    prefix + "release.approvers", List.of(LEAD),
                    prefix + "deploy.strategy", "ecs",
                    prefix + "deploy.cluster", "prod",
                    prefix + "deploy.service", "web"))) {
                SlackRequests requests = app.slack();
                int before = aws.calls().size();
                requests.slashCommand("U0DEV", CHANNEL, "/deploy", "prd benchmark");
                SlackMessage request = awaitRequest(slack);
                long clicked = System.nanoTime();
                requests.clickButton(LEAD, CHANNEL, request.ts(), "release_approve", request.buttons().get(0).get("value").asText());
                while (aws.calls(UPDATE_SERVICE).isEmpty()) {
                    Thread.sleep(1); // the fake records calls; polling it every millisecond bounds the error
                }
                double millis = (System.nanoTime() - clicked) / 1e6;
                List<AwsCall> calls = aws.calls().subList(before, aws.calls().size());
                return List.of(new Row("one release (ECS), `/deploy prd` to `UpdateService`: AWS calls",
                                calls.size() + " (" + summary(calls) + ")", ""),
                        new Row("one release (ECS): approver's click -> `UpdateService`", String.format("%.0f ms", millis), ""));
            }
        }
    }

    private static SlackMessage awaitRequest(FakeSlack slack) throws InterruptedException {
        for (int i = 0; i < 30_000; i++) {
            Optional<SlackMessage> request = slack.channelMessages(CHANNEL).stream().filter(m -> !m.buttons().isEmpty()).findFirst();
            if (request.isPresent()) {
                return request.get();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no release request was posted");
    }

    private static String summary(List<AwsCall> calls) {
        Map<String, Long> byOperation = new java.util.TreeMap<>();
        calls.forEach(call -> byOperation.merge(call.target().substring(call.target().indexOf('.') + 1), 1L, Long::sum));
        return byOperation.entrySet().stream().map(e -> e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static void push(FakeAws aws, String commit, String tag) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":7023,"
                + "\"digest\":\"sha256:" + commit.repeat(10).substring(0, 64) + "\"},\"layers\":[]}";
        aws.ecr().pushImage("team/app", manifest, FakeEcr.DOCKER_MANIFEST, tag, "git-" + commit);
    }
}
