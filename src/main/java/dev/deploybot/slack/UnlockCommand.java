package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.release.UnlockEnvironment;
import jakarta.inject.Singleton;

/** {@code /deploy unlock prd}: checking approver groups may ask Slack, so the answer comes after the ack. */
@Singleton
class UnlockCommand implements VerbCommand {
    private final UnlockEnvironment unlock;
    private final SlackChat chat;
    private final AfterAck after;

    UnlockCommand(UnlockEnvironment unlock, SlackChat chat, AfterAck after) {
        this.unlock = unlock;
        this.chat = chat;
        this.after = after;
    }

    @Override
    public String verb() {
        return "unlock";
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        return after.command(AfterAck.Lane.RELEASES, invocation.requester(), "Unlocking " + environment.name() + "…",
                environment.name() + " was not unlocked",
                () -> chat.whisper(invocation.channelId(), invocation.actor().userId(), answer(environment, invocation)));
    }

    private String answer(Environment environment, DeployInvocation invocation) {
        UnlockEnvironment.Outcome outcome = unlock.unlock(environment, invocation.actor());
        if (outcome instanceof UnlockEnvironment.Refused refused) {
            return ":no_entry: " + RefusalViews.text(refused.refusal());
        } else if (outcome instanceof UnlockEnvironment.WasNotLocked) {
            return environment.name() + " was not locked.";
        }
        return ":unlock: " + environment.name() + " is unlocked; releases are possible again.";
    }
}
