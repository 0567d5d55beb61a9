package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;

/** A rendered message: Block Kit blocks plus the plain text Slack shows in notifications. */
public record SlackView(String fallbackText, List<LayoutBlock> blocks) {
    private static final com.google.gson.Gson BLOCKS = com.slack.api.util.json.GsonFactory.createSnakeCase();

    public SlackView {
        blocks = List.copyOf(blocks);
    }

    /** As the outbox stores it: the blocks in the JSON Slack reads. */
    dev.deploybot.activity.Outbox.Content content() {
        return new dev.deploybot.activity.Outbox.Content(fallbackText, blocks.isEmpty() ? null : BLOCKS.toJson(blocks));
    }
}
