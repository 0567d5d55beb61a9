package dev.deploybot.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The EventBridge envelope every AWS event comes in; {@code detail} is left as JSON for the translator of
 * its detail-type. Parsing checks only what every event has.
 *
 * @param id the event's id: the same for every delivery of one event, which is what duplicates are dropped by
 */
public record EventEnvelope(String id, String detailType, String source, String account, String region,
                            Instant time, List<String> resources, JsonNode detail) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** EventBridge ids are UUIDs; anything outside this shape is not worth a database key. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    /** EventBridge's own limit, and the width of the column it is kept in. */
    static final int MAX_DETAIL_TYPE_LENGTH = 128;

    public EventEnvelope {
        resources = List.copyOf(resources);
    }

    public static EventEnvelope parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new MalformedEvent("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEvent("not a JSON object");
        }
        String id = text(root, "id");
        if (!ID.matcher(id).matches()) {
            throw new MalformedEvent("the id is not an EventBridge event id");
        }
        JsonNode detail = root.path("detail");
        if (!detail.isObject()) {
            throw new MalformedEvent("no detail object");
        }
        String detailType = text(root, "detail-type");
        if (detailType.length() > MAX_DETAIL_TYPE_LENGTH) {
            throw new MalformedEvent("the detail-type is longer than " + MAX_DETAIL_TYPE_LENGTH + " characters");
        }
        Instant time;
        try {
            time = EventTime.isoInstant(text(root, "time"));
        } catch (DateTimeParseException e) {
            throw new MalformedEvent("time is not an ISO-8601 instant");
        }
        List<String> resources = new ArrayList<>();
        root.path("resources").forEach(resource -> resources.add(resource.asText()));
        return new EventEnvelope(id, detailType, text(root, "source"), root.path("account").asText(null),
                root.path("region").asText(null), time, resources, detail);
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new MalformedEvent("no " + field);
        }
        return value.asText();
    }
}
