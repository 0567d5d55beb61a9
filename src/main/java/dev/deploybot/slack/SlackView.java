package dev.deploybot.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;

/** A rendered message: Block Kit blocks plus the plain text Slack shows in notifications. */
public record SlackView(String fallbackText, List<LayoutBlock> blocks) {
    public SlackView {
        blocks = List.copyOf(blocks);
    }
}
