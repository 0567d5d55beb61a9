package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A message as it currently stands in {@link FakeSlack}, after any {@code chat.update}.
 *
 * @param threadTs ts of the thread parent for a reply; null for a top-level message
 * @param text     the {@code text} argument (fallback text when blocks are present); null if none
 * @param blocks   the Block Kit array; null if the message has no blocks
 */
public record SlackMessage(String channel, String ts, String threadTs, String text, JsonNode blocks) {

    /**
     * What a person reading the message sees: {@code text} plus every {@code text} string nested anywhere
     * in the blocks (section text, fields, context elements, button labels), joined by newlines.
     * Assert on this rather than on block structure so layout changes don't break tests.
     */
    public String allText() {
        List<String> parts = new ArrayList<>();
        if (text != null) {
            parts.add(text);
        }
        collectTexts(blocks, parts);
        return String.join("\n", parts);
    }

    /** Every element with {@code "type":"button"}, wherever it sits in the blocks. */
    public List<JsonNode> buttons() {
        List<JsonNode> found = new ArrayList<>();
        collectButtons(blocks, found);
        return found;
    }

    private static void collectTexts(JsonNode node, List<String> out) {
        if (node == null) {
            return;
        }
        if (node.isArray()) {
            node.forEach(child -> collectTexts(child, out));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("text") && field.getValue().isTextual()) {
                    out.add(field.getValue().asText());
                } else {
                    collectTexts(field.getValue(), out);
                }
            });
        }
    }

    private static void collectButtons(JsonNode node, List<JsonNode> out) {
        if (node == null) {
            return;
        }
        if (node.isObject() && "button".equals(node.path("type").asText())) {
            out.add(node);
        }
        if (node.isContainerNode()) {
            node.forEach(child -> collectButtons(child, out));
        }
    }
}
