package dev.deploybot.slack;

import dev.deploybot.core.Environment;

import java.util.Optional;

/**
 * {@code /deploy <verb> [environment] [arguments]}: a read-only look at one environment, or at every environment
 * when none is named.
 */
interface OverviewCommand {
    String verb();

    /** @param environment empty for every environment the bot knows */
    String handle(Optional<Environment> environment, String arguments, DeployInvocation invocation);
}
