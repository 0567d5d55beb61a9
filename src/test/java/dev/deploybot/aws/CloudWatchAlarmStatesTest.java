package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.AlarmState;
import dev.deploybot.release.AlarmState.Condition;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeCloudWatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudWatchAlarmStatesTest {
    private static final Instant FIRED = Instant.parse("2026-11-29T14:02:00Z");
    private FakeAws aws;
    private CloudWatchClient client;
    private CloudWatchAlarmStates alarms;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        aws.setClock(Clock.fixed(FIRED, ZoneOffset.UTC));
        client = aws.client(CloudWatchClient.builder());
        alarms = new CloudWatchAlarmStates(() -> client);
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    @Test
    void readsMetricAndCompositeAlarmsInTheOrderAskedAndTellsAMissingOneApart() {
        aws.cloudWatch().createAlarm("app-5xx");
        aws.cloudWatch().createCompositeAlarm("app-health");
        aws.cloudWatch().setState("app-5xx", "ALARM", "Threshold Crossed");

        List<AlarmState> states = alarms.read(List.of("app-health", "app-5xx", "app-typo"));

        assertThat(states).extracting(AlarmState::name, AlarmState::condition).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app-health", Condition.OK),
                org.assertj.core.groups.Tuple.tuple("app-5xx", Condition.ALARM),
                org.assertj.core.groups.Tuple.tuple("app-typo", Condition.MISSING));
        assertThat(states.get(1).since()).isEqualTo(FIRED);
        assertThat(states.get(1).reason()).isEqualTo("Threshold Crossed");
    }

    @Test
    void moreThanAHundredNamesAreAskedForInBatchesAndPages() {
        List<String> names = IntStream.range(0, 130).mapToObj(i -> "alarm-%03d".formatted(i)).toList();
        names.forEach(aws.cloudWatch()::createAlarm);

        assertThat(alarms.read(names)).hasSize(130).allSatisfy(s -> assertThat(s.condition()).isEqualTo(Condition.OK));
        assertThat(aws.calls(FakeCloudWatch.DESCRIBE_ALARMS)).as("100 names per call, 50 alarms per page")
                .hasSize(2 + 1);
    }

    @Test
    void aRefusalIsTranslatedOnceWithItsCode() {
        aws.failNext(FakeCloudWatch.DESCRIBE_ALARMS, new AwsError(403, "AccessDenied",
                "User is not authorized to perform: cloudwatch:DescribeAlarms"));

        assertThatThrownBy(() -> alarms.read(List.of("app-5xx"))).isInstanceOfSatisfying(ExternalFailure.class, failure -> {
            assertThat(failure.service()).isEqualTo("CloudWatch");
            assertThat(failure.code()).isEqualTo("AccessDenied");
            assertThat(failure.retryable()).isFalse();
        });
    }
}
