package dev.deploybot.slack;

import dev.deploybot.core.Environment;

/** What {@code /deploy <environment> [arguments]} does for environments of one kind. */
interface EnvironmentCommand {
    /** What the command does, as metrics name it: {@code build}, {@code release}. */
    String verb();

    boolean handles(Environment environment);

    /** Validates, hands slow work to the work executor, and returns the private acknowledgement. */
    String handle(Environment environment, String arguments, DeployInvocation invocation);
}
