package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Small, forgiving reads of an event's detail: optional fields come back null, required ones throw. */
final class EventDetail {
    /**
     * Required fields are ids and names the store keys messages by; none AWS sends is this long (an ARN with a
     * 255-character project name is about 330), so a longer one is a bad event, refused before it is kept.
     */
    static final int MAX_REQUIRED_LENGTH = 400;

    private EventDetail() {
    }

    static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new MalformedEvent("the detail has no " + field);
        }
        if (value.asText().length() > MAX_REQUIRED_LENGTH) {
            throw new MalformedEvent("the detail's " + field + " is longer than " + MAX_REQUIRED_LENGTH + " characters");
        }
        return value.asText();
    }

    static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null : value.asText();
    }
}
