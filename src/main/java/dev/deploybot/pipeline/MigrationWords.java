package dev.deploybot.pipeline;

import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.MigrationOutcome;

/**
 * A failed migration in the plain words a release's failure keeps: the exit code or ECS's reason, and the last
 * lines the task wrote. Stored with the release, so they stay the same however often the message is drawn.
 */
final class MigrationWords {
    private MigrationWords() {
    }

    static String of(MigrationOutcome outcome) {
        if (outcome instanceof MigrationOutcome.Failed failed) {
            String how = failed.exitCode().isPresent()
                    ? "The migration task exited with exit code " + failed.exitCode().getAsInt() + " (" + failed.reason() + ")."
                    : "The migration task stopped without running: " + failed.reason() + ".";
            return failed.logTail().isEmpty() ? how : how + " Last log lines:\n" + String.join("\n", failed.logTail());
        }
        if (outcome instanceof MigrationOutcome.NotStarted notStarted) {
            return "ECS could not start the migration task: " + notStarted.reason() + ".";
        }
        if (outcome instanceof MigrationOutcome.TimedOut timedOut) {
            return "The migration task was still running after " + FollowDeployment.readable(timedOut.after())
                    + " and was stopped.";
        }
        throw new IllegalArgumentException("not a failed migration: " + outcome);
    }
}
