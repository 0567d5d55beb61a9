package dev.deploybot.deploy;

import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.MigrationSettings;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Runs a release's migration task once, next to the service it prepares. Failures to reach AWS surface as
 * {@link dev.deploybot.core.ExternalFailure}; what the task itself does is answered as a value.
 */
public interface MigrationRunner {

    /**
     * Starts the task pinned to the release's images, or finds the one started for this release before (a restart
     * while it ran), so a release never runs its migration twice.
     */
    Launch launch(DeploySettings service, MigrationSettings migration, ContainerImages images, String releaseId);

    /** One look at the task. */
    TaskState look(DeploySettings service, MigrationTask task);

    /** The last lines the task's container wrote, oldest first; empty when they cannot be read. */
    List<String> logTail(MigrationTask task, int lines);

    /** Stops a task that ran out of time. Idempotent. */
    void stop(DeploySettings service, MigrationTask task, String reason);

    sealed interface Launch {
    }

    record Launched(MigrationTask task) implements Launch {
        public Launched {
            Objects.requireNonNull(task, "task");
        }
    }

    /** ECS could not place the task, e.g. {@code RESOURCE:MEMORY}; nothing ran. */
    record NotLaunched(String reason) implements Launch {
        public NotLaunched {
            Objects.requireNonNull(reason, "reason");
        }
    }

    sealed interface TaskState {
    }

    /** @param status ECS's lastStatus, e.g. PROVISIONING, PENDING, RUNNING */
    record Running(String status) implements TaskState {
    }

    /**
     * @param exitCode      the container's, absent when it never ran
     * @param neverStarted  the task failed to start (image pull, secrets, network): stopCode TaskFailedToStart
     * @param reason        ECS's stoppedReason, with the container's own reason when it has one
     */
    record Stopped(OptionalInt exitCode, boolean neverStarted, String reason) implements TaskState {
        public Stopped {
            Objects.requireNonNull(exitCode, "exitCode");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
