package dev.deploybot.slack;

import dev.deploybot.core.Environment;
import dev.deploybot.release.LockEnvironment;
import jakarta.inject.Singleton;

/** {@code /deploy lock prd <reason>}. Only the store is touched, so it answers directly. */
@Singleton
class LockCommand implements VerbCommand {
    private final LockEnvironment lock;

    LockCommand(LockEnvironment lock) {
        this.lock = lock;
    }

    @Override
    public String verb() {
        return "lock";
    }

    @Override
    public String handle(Environment environment, String arguments, DeployInvocation invocation) {
        return lock.lock(environment, invocation.actor(), arguments)
                .map(refusal -> ":no_entry: " + RefusalViews.text(refusal))
                .orElse(":lock: " + environment.name() + " is locked: releases are refused until an approver runs `/deploy unlock "
                        + environment.name() + "`.");
    }
}
