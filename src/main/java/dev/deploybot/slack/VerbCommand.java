package dev.deploybot.slack;

import dev.deploybot.core.Environment;

/** {@code /deploy <verb> <environment> [arguments]}: an action on an environment other than building or releasing it. */
interface VerbCommand {
    String verb();

    /** Validates, hands slow work to the work executor, and returns the private acknowledgement. */
    String handle(Environment environment, String arguments, DeployInvocation invocation);
}
