package dev.deploybot.slack;

import dev.deploybot.config.WorkExecutor;
import dev.deploybot.core.Environment;
import dev.deploybot.release.UnlockEnvironment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.ExecutorService;

/** {@code /deploy unlock prd}: checking approver groups may ask Slack, so the answer comes after the ack. */
@Singleton
class UnlockCommand implements VerbCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UnlockCommand.class);
    private final UnlockEnvironment unlock;
    private final SlackChat chat;
    private final ExecutorService work;

    UnlockCommand(UnlockEnvironment unlock, SlackChat chat, @Named(WorkExecutor.NAME) ExecutorService work) {
        this.unlock = unlock;
        this.chat = chat;
        this.work = work;
    }

    @Override
    public String verb() {
        return "unlock";
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        work.execute(() -> {
            String answer;
            try {
                UnlockEnvironment.Outcome outcome = unlock.unlock(environment, invocation.actor());
                if (outcome instanceof UnlockEnvironment.Refused refused) {
                    answer = ":no_entry: " + RefusalViews.text(refused.refusal());
                } else if (outcome instanceof UnlockEnvironment.WasNotLocked) {
                    answer = environment.name() + " was not locked.";
                } else {
                    answer = ":unlock: " + environment.name() + " is unlocked; releases are possible again.";
                }
            } catch (RuntimeException e) {
                LOG.error("unlocking {} failed", environment.name(), e);
                answer = ":x: " + environment.name() + " was not unlocked: deploybot hit an internal error (logged).";
            }
            chat.whisper(invocation.channelId(), invocation.actor().userId(), answer);
        });
        return "Unlocking " + environment.name() + "…";
    }
}
