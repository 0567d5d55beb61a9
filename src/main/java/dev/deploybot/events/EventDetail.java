package dev.deploybot.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Small, forgiving reads of an event's detail: optional fields come back null, required ones throw. */
final class EventDetail {
    private EventDetail() {
    }

    static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            throw new MalformedEvent("the detail has no " + field);
        }
        return value.asText();
    }

    static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.isContainerNode() || value.asText().isBlank() ? null : value.asText();
    }
}
