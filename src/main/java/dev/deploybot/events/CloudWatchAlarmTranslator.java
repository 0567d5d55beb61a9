package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.activity.Change;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * {@code CloudWatch Alarm State Change}. The state's own {@code timestamp} says when the alarm moved, in the form
 * {@code 2026-11-29T14:02:40.987+0000} (an offset without a colon, so not ISO-8601); the event's {@code time} is
 * only when EventBridge sent it, and serves when the timestamp cannot be read. {@code reasonData} is JSON in a
 * string and is not needed.
 */
@Singleton
class CloudWatchAlarmTranslator implements EventTranslator {
    static final String DETAIL_TYPE = "CloudWatch Alarm State Change";
    private static final DateTimeFormatter STATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public Optional<Change> translate(EventEnvelope event) {
        JsonNode detail = event.detail();
        JsonNode state = detail.path("state");
        String value = EventDetail.required(state, "value");
        Instant at = stateTime(EventDetail.optional(state, "timestamp"));
        return Optional.of(new AlarmStateChanged(EventDetail.required(detail, "alarmName"), value,
                EventDetail.optional(state, "reason"), at == null ? event.time() : at));
    }

    private static Instant stateTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, STATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
