package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EmbeddedPostgresSupport;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE_GROUP;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Twenty approvers click at once, on two replicas sharing one PostgreSQL: one promotion, one rollout. */
class ConcurrentApprovalTest {

    @Test
    void twentySimultaneousApprovalsOnTwoReplicasPromoteOnce() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            ReleaseScenario scenario = new ReleaseScenario(aws, slack, "app-c", "C0CONC").withHistory().withEcsService("web-c");
            List<String> approvers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                approvers.add("U0APPROVER" + i);
            }
            slack.setUsergroupMembers(SRE_GROUP, approvers.toArray(String[]::new));
            Map<String, Object> config = new HashMap<>(scenario.environment("prd", "ecs",
                    Map.of("cluster", CLUSTER, "service", "web-c", "container", "web")));
            config.putAll(DeploybotApp.postgres(EmbeddedPostgresSupport.newDatabase()));

            try (DeploybotApp first = ReleaseScenario.app(slack, aws, config);
                 DeploybotApp second = ReleaseScenario.app(slack, aws, config)) {
                first.slack().slashCommand(DEV, scenario.channel, "/deploy", "prd");
                SlackMessage request = scenario.awaitRequestMessage();

                ExecutorService clickers = Executors.newFixedThreadPool(approvers.size());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> clicks = new ArrayList<>();
                for (int i = 0; i < approvers.size(); i++) {
                    DeploybotApp replica = i % 2 == 0 ? first : second;
                    String approver = approvers.get(i);
                    clicks.add(clickers.submit(() -> {
                        go.await();
                        return replica.slack().clickButton(approver, scenario.channel, request.ts(), "release_approve",
                                requestId(request)).statusCode();
                    }));
                }
                go.countDown();
                for (Future<Integer> click : clicks) {
                    assertThat(click.get()).isEqualTo(200);
                }
                clickers.shutdown();

                await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-c")));
                aws.ecs().completeDeployment(CLUSTER, "web-c");
                SlackMessage done = scenario.awaitMessage(request, "Succeeded");

                assertThat(aws.calls(FakeEcr.PUT_IMAGE)).filteredOn(call -> call.request().get("repositoryName").asText().equals("app-c"))
                        .as("one set of PutImage calls").hasSize(3);
                assertThat(aws.ecs().updateServiceCalls()).filteredOn(call -> call.get("service").asText().equals("web-c")).hasSize(1);
                assertThat(aws.ecs().registeredTaskDefinitions()).filteredOn(definition -> definition.get("family").asText().equals("web-c"))
                        .hasSize(1);
                ReleaseRequest decided = first.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow();
                assertThat(approvers).contains(decided.decision().decidedBy());
                assertThat(done.allText()).contains("Approved by <@" + decided.decision().decidedBy() + ">");
                assertThat(scenario.tag("release-2gen")).isEqualTo(scenario.oneGenerationAgo);
                await().until(() -> slack.ephemerals().stream().filter(call -> call.param("text").contains("no longer open")
                        || call.param("text").contains("already decided")).count() == approvers.size() - 1);
            }
        }
    }
}
