package dev.deploybot.release;

import dev.deploybot.aws.EcsRunningServices;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static org.assertj.core.api.Assertions.assertThat;

/** "requires: stg" read through the ECS adapter from the fake ECS, the way production reads it. */
class ProvenInStagingTest {
    private static final Instant DEPLOYED = Instant.parse("2026-11-29T13:40:00Z");
    private static final String REPOSITORY = FakeEcr.repositoryUri("team/app");
    private static final String CANDIDATE = "sha256:" + "c".repeat(64);
    private static final String OTHER = "sha256:" + "a".repeat(64);
    private static final Duration THIRTY_MINUTES = Duration.ofMinutes(30);

    private FakeAws aws;
    private EcsClient ecs;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        aws.setClock(Clock.fixed(DEPLOYED, ZoneOffset.UTC));
        ecs = aws.client(EcsClient.builder());
    }

    @AfterEach
    void stop() {
        ecs.close();
        aws.close();
    }

    @Test
    void refusedWhenStagingRunsAnotherDigestAndSaysWhich() {
        stagingRuns(REPOSITORY + "@" + OTHER);

        ProvenInStaging.Verdict verdict = checkAt(DEPLOYED.plus(Duration.ofHours(1)));

        assertThat(verdict).isEqualTo(new ProvenInStaging.RunsAnother("stg", Optional.of(OTHER), "app:1"));
    }

    @Test
    void refusedWhenStagingNamesItsImageByTag() {
        stagingRuns(REPOSITORY + ":latest");

        assertThat(checkAt(DEPLOYED.plus(Duration.ofHours(1))))
                .isEqualTo(new ProvenInStaging.RunsAnother("stg", Optional.empty(), "app:1"));
    }

    @Test
    void refusedWhileStagingIsStillRollingTheCandidateOut() {
        stagingRuns(REPOSITORY + "@" + OTHER);
        Instant rollout = DEPLOYED.plus(Duration.ofHours(1));
        aws.setClock(Clock.fixed(rollout, ZoneOffset.UTC));
        String revision = ecs.registerTaskDefinition(r -> r.family("app").containerDefinitions(ContainerDefinition.builder()
                .name("web").image(REPOSITORY + "@" + CANDIDATE).essential(true).build())).taskDefinition().taskDefinitionArn();
        ecs.updateService(r -> r.cluster("staging").service("app").taskDefinition(revision));

        assertThat(checkAt(rollout.plus(Duration.ofHours(1))))
                .isEqualTo(new ProvenInStaging.RollingOut("stg", "IN_PROGRESS", rollout));
    }

    @Test
    void refusedWhenStagingHasRunItForLessThanRequired() {
        stagingRuns(REPOSITORY + "@" + CANDIDATE);

        assertThat(checkAt(DEPLOYED.plus(Duration.ofMinutes(29))))
                .isEqualTo(new ProvenInStaging.TooRecent("stg", DEPLOYED, THIRTY_MINUTES));
    }

    @Test
    void acceptedWhenStagingHasRunItCompletedForLongEnough() {
        stagingRuns(REPOSITORY + "@" + CANDIDATE);

        assertThat(checkAt(DEPLOYED.plus(THIRTY_MINUTES))).isEqualTo(new ProvenInStaging.Proven("stg", DEPLOYED));
    }

    @Test
    void anUnreadableStagingServiceProvesNothing() {
        stagingRuns(REPOSITORY + "@" + CANDIDATE);
        aws.failNext("AmazonEC2ContainerServiceV20141113.DescribeServices", AwsError.accessDenied("not allowed"));

        assertThat(checkAt(DEPLOYED.plus(Duration.ofHours(1)))).isInstanceOfSatisfying(ProvenInStaging.Unreadable.class,
                unreadable -> assertThat(unreadable.failure().code()).isEqualTo("AccessDeniedException"));
    }

    @Test
    void withoutARequirementThereIsNothingToCheck() {
        Environment.ReleaseSettings free = release(Optional.empty());
        ProvenInStaging proof = new ProvenInStaging(environments(free), new EcsRunningServices(() -> ecs), Clock.systemUTC());

        assertThat(proof.check(free, CANDIDATE)).isEqualTo(new ProvenInStaging.NotRequired());
        assertThat(aws.calls()).isEmpty();
    }

    private void stagingRuns(String image) {
        aws.ecs().createService("staging", "app", TaskDefinitionSpec.of("app", container("web", image, 8080)));
    }

    private ProvenInStaging.Verdict checkAt(Instant now) {
        Environment.ReleaseSettings production = release(Optional.of(new Environment.Requirement("stg", THIRTY_MINUTES)));
        return new ProvenInStaging(environments(production), new EcsRunningServices(() -> ecs), Clock.fixed(now, ZoneOffset.UTC))
                .check(production, CANDIDATE);
    }

    private static Environment.ReleaseSettings release(Optional<Environment.Requirement> requires) {
        return new Environment.ReleaseSettings("team/app", "latest", List.of("release"), List.of("U0LEAD"), 1, false,
                Duration.ofMinutes(30), Optional.empty(), "^git-", Environment.RollbackPolicy.SAFE, true, Optional.empty(),
                requires);
    }

    private static Environments environments(Environment.ReleaseSettings production) {
        Environment.DeploySettings staging = new Environment.DeploySettings(Environment.Strategy.ECS, "staging", "app",
                Optional.empty(), 0, null, null, null, Duration.ofMinutes(30));
        Environment.DeploySettings prod = new Environment.DeploySettings(Environment.Strategy.ECS, "prod", "app",
                Optional.empty(), 0, null, null, null, Duration.ofMinutes(30));
        return new Environments(List.of(
                new Environment("stg", "C0STG", List.of(), Optional.empty(), Optional.empty(), Optional.of(staging)),
                new Environment("prd", "C0PRD", List.of(), Optional.empty(), Optional.of(production), Optional.of(prod))));
    }
}
