package dev.deploybot.deploy;

import dev.deploybot.core.Environment;
import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.Strategy;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.Progress;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FollowDeploymentTest {

    private static final Duration POLL = Duration.ofSeconds(15);
    private static final DeploymentHandle HANDLE = new DeploymentHandle("ecs-svc/1", "arn:td:2");

    private final ManualClock clock = new ManualClock();
    private final List<Duration> sleeps = new ArrayList<>();
    private final FollowDeployment follow = new FollowDeployment(clock, duration -> {
        sleeps.add(duration);
        clock.advance(duration);
    });
    private final List<DeploymentStatus> told = new ArrayList<>();

    @Test
    void followsUntilSuccessTellingOnlyWhatChanged() {
        ScriptedDeployer deployer = new ScriptedDeployer(
                running("0/2 tasks running"), running("0/2 tasks running"), running("1/2 tasks running"),
                new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null));

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE, POLL, () -> true, told::add);

        assertThat(result).isEqualTo(new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null));
        assertThat(told).containsExactly(running("0/2 tasks running"), running("1/2 tasks running"), result);
        assertThat(sleeps).containsExactly(POLL, POLL, POLL);
        assertThat(deployer.checks).isEqualTo(4);
    }

    @Test
    void aFailedDeploymentEndsTheFollowing() {
        DeploymentStatus failed = new DeploymentStatus(Progress.FAILED, "0/2 tasks running",
                "ECS deployment circuit breaker: tasks failed to start.");
        ScriptedDeployer deployer = new ScriptedDeployer(running("0/2 tasks running"), failed);

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE, POLL, () -> true, told::add);

        assertThat(result).isEqualTo(failed);
        assertThat(told).containsExactly(running("0/2 tasks running"), failed);
    }

    @Test
    void aDeploymentStillRunningAtTheTimeoutHasFailed() {
        ScriptedDeployer deployer = new ScriptedDeployer(running("1/2 tasks running"));

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE,
                Duration.ofMinutes(3), () -> true, told::add);

        assertThat(result).isEqualTo(new DeploymentStatus(Progress.FAILED, "1/2 tasks running", "timed out after 10m"));
        assertThat(told).containsExactly(running("1/2 tasks running"), result);
        // The last wait is cut short so the final look happens right at the deadline.
        assertThat(sleeps).containsExactly(Duration.ofMinutes(3), Duration.ofMinutes(3), Duration.ofMinutes(3),
                Duration.ofMinutes(1));
        assertThat(deployer.checks).isEqualTo(5);
    }

    @Test
    void aRetryableErrorWhileLookingIsLookedPast() {
        ScriptedDeployer deployer = new ScriptedDeployer(running("0/2 tasks running"),
                new ExternalFailure("ECS", "ThrottlingException", "Rate exceeded", true, null),
                new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null));

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE, POLL, () -> true, told::add);

        assertThat(result.phase()).isEqualTo(Progress.SUCCEEDED);
        assertThat(told).extracting(DeploymentStatus::phase).containsExactly(Progress.IN_PROGRESS, Progress.SUCCEEDED);
        assertThat(deployer.checks).isEqualTo(3);
    }

    @Test
    void retryableErrorsUntilTheTimeoutAreNamedInTheFailure() {
        ScriptedDeployer deployer = new ScriptedDeployer(running("0/2 tasks running"),
                new ExternalFailure("ECS", "ServerException", "Service unavailable", true, null));

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(1)), HANDLE, POLL, () -> true, told::add);

        assertThat(result.phase()).isEqualTo(Progress.FAILED);
        assertThat(result.failure()).isEqualTo("timed out after 1m (last error: ECS ServerException: Service unavailable)");
    }

    @Test
    void aNonRetryableErrorEndsTheFollowingAsAFailure() {
        ScriptedDeployer deployer = new ScriptedDeployer(running("1/2 tasks running"),
                new ExternalFailure("ECS", "AccessDeniedException", "not authorized to perform: ecs:DescribeServices",
                        false, null));

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE, POLL, () -> true, told::add);

        assertThat(result).isEqualTo(new DeploymentStatus(Progress.FAILED, "1/2 tasks running",
                "ECS AccessDeniedException: not authorized to perform: ecs:DescribeServices"));
        assertThat(told).last().isEqualTo(result);
        assertThat(deployer.checks).isEqualTo(2);
    }

    @Test
    void anInterruptStopsFollowingWithoutCallingItFailed() {
        FollowDeployment interrupted = new FollowDeployment(clock, duration -> {
            throw new InterruptedException();
        });

        DeploymentStatus result = interrupted.follow(new ScriptedDeployer(running("1/2 tasks running")),
                settings(Duration.ofMinutes(10)), HANDLE, POLL, () -> true, told::add);

        assertThat(Thread.interrupted()).as("interrupt flag kept (and cleared here)").isTrue();
        assertThat(result).isEqualTo(running("1/2 tasks running"));
    }

    @Test
    void itLetsGoAsSoonAsTheFollowerLosesItsRight() {
        ScriptedDeployer deployer = new ScriptedDeployer(running("1/2 tasks running"),
                new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null));
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();

        DeploymentStatus result = follow.follow(deployer, settings(Duration.ofMinutes(10)), HANDLE, POLL,
                () -> looks.incrementAndGet() == 1, told::add);

        assertThat(result).isEqualTo(running("1/2 tasks running"));
        assertThat(told).containsExactly(running("1/2 tasks running"));
    }

    @Test
    void pollIntervalMustBePositive() {
        assertThatThrownBy(() -> follow.follow(new ScriptedDeployer(running("x")), settings(Duration.ofMinutes(1)),
                HANDLE, Duration.ZERO, () -> true, told::add)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(FollowDeployment.readable(Duration.ofMinutes(90))).isEqualTo("1h 30m");
        assertThat(FollowDeployment.readable(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(FollowDeployment.readable(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(FollowDeployment.readable(Duration.ofSeconds(61))).isEqualTo("1m 1s");
    }

    private static DeploymentStatus running(String progress) {
        return new DeploymentStatus(Progress.IN_PROGRESS, progress, null);
    }

    private static DeploySettings settings(Duration timeout) {
        return new DeploySettings(Strategy.ECS, "prod", "api", Optional.empty(), 0, null, null, null, timeout);
    }

    /** Answers check with the scripted statuses or throws the scripted failures, repeating the last one. */
    private static final class ScriptedDeployer implements ServiceDeployer {
        private final List<Object> script;
        int checks;

        ScriptedDeployer(Object... script) {
            this.script = List.of(script);
        }

        @Override
        public Environment.Strategy strategy() {
            return Strategy.ECS;
        }

        @Override
        public DeploymentHandle start(DeploySettings settings, ContainerImages images, String requestId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(DeploySettings settings, DeploymentHandle handle) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeploymentStatus check(DeploySettings settings, DeploymentHandle handle) {
            Object next = script.get(Math.min(checks++, script.size() - 1));
            if (next instanceof ExternalFailure failure) {
                throw failure;
            }
            return (DeploymentStatus) next;
        }
    }

    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2025-06-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
