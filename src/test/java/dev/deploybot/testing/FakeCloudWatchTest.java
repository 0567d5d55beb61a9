package dev.deploybot.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake answers the production SDK client over the query protocol, with AWS's quirks and error codes. */
class FakeCloudWatchTest {
    private FakeAws aws;
    private CloudWatchClient cloudWatch;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
        cloudWatch = aws.client(CloudWatchClient.builder());
    }

    @AfterEach
    void stop() {
        cloudWatch.close();
        aws.close();
    }

    @Test
    void describesTheNamedAlarmsWithTheirStateAndWhenItChanged() {
        Instant at = Instant.parse("2026-11-29T14:02:00Z");
        aws.setClock(Clock.fixed(at, ZoneOffset.UTC));
        aws.cloudWatch().createAlarm("app-5xx");
        aws.cloudWatch().createAlarm("app-latency");
        aws.cloudWatch().createAlarm("other-team");
        aws.cloudWatch().setState("app-5xx", "ALARM", "Threshold Crossed: 1 datapoint [42.0] was greater than 10.0");

        DescribeAlarmsResponse response = cloudWatch.describeAlarms(r -> r.alarmNames("app-5xx", "app-latency", "gone"));

        assertThat(response.metricAlarms()).extracting(MetricAlarm::alarmName, MetricAlarm::stateValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app-5xx", StateValue.ALARM),
                        org.assertj.core.groups.Tuple.tuple("app-latency", StateValue.OK));
        MetricAlarm fired = response.metricAlarms().get(0);
        assertThat(fired.stateUpdatedTimestamp()).isEqualTo(at);
        assertThat(fired.stateReason()).contains("42.0");
        assertThat(fired.alarmArn()).isEqualTo(FakeCloudWatch.alarmArn("app-5xx"));

        assertThat(aws.calls(FakeCloudWatch.DESCRIBE_ALARMS)).singleElement().satisfies(call -> {
            assertThat(call.request().get("Action").asText()).isEqualTo("DescribeAlarms");
            assertThat(call.request().get("Version").asText()).isEqualTo("2010-08-01");
            assertThat(call.request().get("AlarmNames.member.3").asText()).isEqualTo("gone");
        });
    }

    @Test
    void listsCompositeAlarmsOnlyWhenAskedFor() {
        aws.cloudWatch().createCompositeAlarm("app-health");

        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("app-health")).compositeAlarms()).isEmpty();
        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("app-health")
                .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)).compositeAlarms())
                .singleElement().satisfies(alarm -> assertThat(alarm.stateValue()).isEqualTo(StateValue.OK));
    }

    @Test
    void pagesWithNextTokenAndRefusesAForgedOne() {
        for (int i = 0; i < 3; i++) {
            aws.cloudWatch().createAlarm("app-" + i);
        }
        DescribeAlarmsResponse first = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("app-").maxRecords(2));
        DescribeAlarmsResponse second = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("app-").maxRecords(2)
                .nextToken(first.nextToken()));

        assertThat(first.metricAlarms()).hasSize(2);
        assertThat(second.metricAlarms()).extracting(MetricAlarm::alarmName).containsExactly("app-2");
        assertThat(second.nextToken()).isNull();
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.nextToken("forged")))
                .isInstanceOf(InvalidNextTokenException.class);
    }

    @Test
    void answersErrorsWithTheQueryProtocolsCodes() {
        List<String> tooMany = java.util.stream.IntStream.range(0, 101).mapToObj(i -> "a" + i).toList();
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames(tooMany)))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                });

        aws.failNext(FakeCloudWatch.DESCRIBE_ALARMS, new AwsError("AccessDenied", "User is not authorized to perform: cloudwatch:DescribeAlarms"));
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.alarmNames("app-5xx")))
                .isInstanceOfSatisfying(CloudWatchException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("cloudwatch:DescribeAlarms");
                });
    }

    @Test
    void throttlingIsRetriedBySdk() {
        aws.cloudWatch().createAlarm("app-5xx");
        aws.failNext(FakeCloudWatch.DESCRIBE_ALARMS, new AwsError("Throttling", "Rate exceeded"));

        assertThat(cloudWatch.describeAlarms(r -> r.alarmNames("app-5xx")).metricAlarms()).hasSize(1);
        assertThat(aws.calls(FakeCloudWatch.DESCRIBE_ALARMS)).extracting(AwsCall::errorType)
                .containsExactly("Throttling", null);
    }
}
