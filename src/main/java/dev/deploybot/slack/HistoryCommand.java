package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.pipeline.ShowHistory;
import jakarta.inject.Singleton;

import java.util.Optional;

/** {@code /deploy history [env] [n]}: the latest releases and rollbacks, privately. */
@Singleton
class HistoryCommand implements OverviewCommand {
    private final ShowHistory showHistory;
    private final SlackChat chat;
    private final AfterAck after;

    HistoryCommand(ShowHistory showHistory, SlackChat chat, AfterAck after) {
        this.showHistory = showHistory;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public String verb() {
        return "history";
    }

    @Override
    public String handle(Optional<Environment> environment, String arguments, DeployInvocation invocation) {
        int count = ShowHistory.DEFAULT;
        if (!arguments.isEmpty()) {
            if (!arguments.matches("[0-9]{1,3}") || Integer.parseInt(arguments) < 1 || Integer.parseInt(arguments) > ShowHistory.MOST) {
                return "Usage: `/deploy history [environment] [n]`, n from 1 to " + ShowHistory.MOST + " (default "
                        + ShowHistory.DEFAULT + ").";
            }
            count = Integer.parseInt(arguments);
        }
        Optional<String> name = environment.map(Environment::name);
        int asked = count;
        return after.command(AfterAck.Lane.REPLIES, invocation.requester(), "", "No history could be shown", () ->
                chat.whisper(invocation.channelId(), invocation.actor().userId(),
                        StatusViews.history(name, showHistory.show(invocation.actor().userId(), name, asked))));
    }
}
