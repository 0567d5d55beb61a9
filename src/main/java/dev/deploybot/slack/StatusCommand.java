package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.pipeline.ShowStatus;
import jakarta.inject.Singleton;

import java.util.Optional;

/** {@code /deploy status [env]}: answered privately once the bounded reads are in (a second or two at most). */
@Singleton
class StatusCommand implements OverviewCommand {
    private final ShowStatus showStatus;
    private final SlackChat chat;
    private final AfterAck after;

    StatusCommand(ShowStatus showStatus, SlackChat chat, AfterAck after) {
        this.showStatus = showStatus;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public String verb() {
        return "status";
    }

    @Override
    public String handle(Optional<Environment> environment, String arguments, DeployInvocation invocation) {
        if (!arguments.isEmpty()) {
            return "Usage: `/deploy status [environment]`.";
        }
        return after.command(AfterAck.Lane.REPLIES, invocation.requester(), "", "No status could be shown", () ->
                chat.whisper(invocation.channelId(), invocation.actor().userId(),
                        StatusViews.status(showStatus.show(invocation.actor().userId(), environment))));
    }
}
