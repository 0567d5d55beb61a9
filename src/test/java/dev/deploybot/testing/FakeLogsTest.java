package dev.deploybot.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeLogsTest {

    private static final String GROUP = "/ecs/api";
    private static final String STREAM = "ecs/app/0123456789abcdef0123456789abcdef";

    private FakeAws fake;
    private CloudWatchLogsClient logs;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.logs().append(GROUP, STREAM, "one", "two", "three", "four");
        logs = fake.client(CloudWatchLogsClient.builder());
    }

    @AfterEach
    void stop() {
        logs.close();
        fake.close();
    }

    @Test
    void withoutStartFromHeadTheNewestEventsComeBackOldestFirst() {
        GetLogEventsResponse response = logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(STREAM).limit(2));

        assertThat(response.events()).extracting(OutputLogEvent::message).containsExactly("three", "four");
        assertThat(response.events()).allSatisfy(e -> assertThat(e.timestamp()).isPositive());
        assertThat(response.nextBackwardToken()).isNotBlank();
    }

    @Test
    void fromTheHeadAndOnWithTheForwardToken() {
        GetLogEventsResponse first = logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(STREAM)
                .startFromHead(true).limit(3));
        GetLogEventsResponse next = logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(STREAM)
                .nextToken(first.nextForwardToken()));
        GetLogEventsResponse end = logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(STREAM)
                .nextToken(next.nextForwardToken()));

        assertThat(first.events()).extracting(OutputLogEvent::message).containsExactly("one", "two", "three");
        assertThat(next.events()).extracting(OutputLogEvent::message).containsExactly("four");
        // The end of a stream: no events, and the same forward token again.
        assertThat(end.events()).isEmpty();
        assertThat(end.nextForwardToken()).isEqualTo(next.nextForwardToken());
    }

    @Test
    void aGroupArnWorksAsIdentifier() {
        GetLogEventsResponse response = logs.getLogEvents(r -> r.logStreamName(STREAM)
                .logGroupIdentifier("arn:aws:logs:eu-west-1:123456789012:log-group:" + GROUP));

        assertThat(response.events()).hasSize(4);
    }

    @Test
    void missingGroupsAndStreamsAreResourceNotFound() {
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName("/ecs/nope").logStreamName(STREAM)))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log group does not exist");
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName("ecs/app/nope")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("log stream does not exist");
        assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(STREAM).limit(0)))
                .isInstanceOf(InvalidParameterException.class);
    }
}
