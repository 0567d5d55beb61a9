package dev.deploybot.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/** How a release's migration task ended; only {@link Succeeded} lets the deployment start. */
public sealed interface MigrationOutcome {

    /** The container exited 0. */
    record Succeeded(MigrationTask task) implements MigrationOutcome {
    }

    /**
     * The task stopped any other way: a non-zero exit, or it never started.
     *
     * @param exitCode absent when the container never ran
     * @param logTail  the container's last lines, when they could be read
     */
    record Failed(MigrationTask task, OptionalInt exitCode, String reason, List<String> logTail) implements MigrationOutcome {
        public Failed {
            Objects.requireNonNull(exitCode, "exitCode");
            Objects.requireNonNull(reason, "reason");
            logTail = List.copyOf(logTail);
        }
    }

    /** ECS could not place the task; nothing ran. */
    record NotStarted(String reason) implements MigrationOutcome {
    }

    /** Still running when its time was up; it has been asked to stop. */
    record TimedOut(MigrationTask task, Duration after) implements MigrationOutcome {
    }

    /** Waiting was cut short (the process is stopping, or the lease was lost); the task runs on and is found again. */
    record Unfinished(MigrationTask task) implements MigrationOutcome {
    }
}
