package dev.deploybot.events;

import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.testing.AwsEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudWatchAlarmTranslatorTest {
    private final CloudWatchAlarmTranslator translator = new CloudWatchAlarmTranslator();

    @Test
    void readsTheAlarmItsNewStateAndWhenTheAlarmMoved() {
        AlarmStateChanged change = translate(AwsEvent.fixture("cloudwatch-alarm-state-change.json"));

        assertThat(change.alarmName()).isEqualTo("app-5xx");
        assertThat(change.state()).isEqualTo("ALARM");
        assertThat(change.firing()).isTrue();
        assertThat(change.reason()).startsWith("Threshold Crossed").contains("[42.0");
        assertThat(change.occurredAt()).as("the state's '+0000' timestamp, not the event's time")
                .isEqualTo(Instant.parse("2026-11-29T14:02:40.987Z"));
    }

    @Test
    void fallsBackToTheEventTimeWhenTheStateTimestampIsUnreadable() {
        AwsEvent event = AwsEvent.fixture("cloudwatch-alarm-state-change.json");
        var json = event.json();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("detail").path("state")).put("timestamp", "soon");

        assertThat(translate(json.toString()).occurredAt()).isEqualTo(Instant.parse("2026-11-29T14:02:41Z"));
    }

    @Test
    void anEventWithoutAnAlarmNameOrStateIsMalformed() {
        AwsEvent noName = AwsEvent.fixture("cloudwatch-alarm-state-change.json").withDetail("alarmName", "");
        assertThatThrownBy(() -> translator.translate(EventEnvelope.parse(noName.toString())))
                .isInstanceOf(MalformedEvent.class).hasMessageContaining("alarmName");
        AwsEvent noState = AwsEvent.fixture("cloudwatch-alarm-state-change.json").withDetail("state", "x");
        assertThatThrownBy(() -> translator.translate(EventEnvelope.parse(noState.toString())))
                .isInstanceOf(MalformedEvent.class).hasMessageContaining("value");
    }

    private AlarmStateChanged translate(AwsEvent event) {
        return translate(event.toString());
    }

    private AlarmStateChanged translate(String body) {
        EventEnvelope envelope = EventEnvelope.parse(body);
        assertThat(envelope.detailType()).isEqualTo(translator.detailType());
        return (AlarmStateChanged) translator.translate(envelope).orElseThrow();
    }
}
