package dev.deploybot.release;

import dev.deploybot.core.Environment;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the story of a release has to tell, as values: the chat edge decides how each looks (a new status of
 * the release's message, a line in its thread, or both).
 */
public sealed interface ReleaseNews {
    /**
     * The request is open: ask the approvers.
     *
     * @param proven where and since when the candidate runs, when the environment requires that ({@code release.requires})
     */
    record Requested(Optional<ProvenInStaging.Proven> proven) implements ReleaseNews {
        public Requested() {
            this(Optional.empty());
        }
    }

    /** A decision was taken (approved, rejected, cancelled, expired, superseded); the request's state tells which. */
    record Decided() implements ReleaseNews {
    }

    record ApprovalCounted(int approvals, int required) implements ReleaseNews {
    }

    /** One tag of a plan was moved; {@code restore} when it was put back after a failure. */
    record TagMoved(String repository, String tag, String digest, String previousDigest, boolean restore) implements ReleaseNews {
    }

    record TagsMoved() implements ReleaseNews {
    }

    /** A release this rollback replaces was stopped at the service. */
    record DeploymentStopped(String digest) implements ReleaseNews {
    }

    /**
     * The migration task runs (or was found running again after a restart).
     *
     * @param logs where its output can be read, when the task definition sends it to CloudWatch Logs
     */
    record Migrating(String taskId, Optional<String> logs) implements ReleaseNews {
    }

    record DeploymentStarted(Environment.Strategy strategy, String deploymentId, String revision) implements ReleaseNews {
    }

    /** @param progress the service's own account, e.g. "2/3 tasks running" */
    record DeploymentProgress(String progress) implements ReleaseNews {
    }

    /**
     * The release is in service and bakes: {@code left} until it is done, and what its alarms say now. Told when the
     * bake starts (or resumes) and whenever the whole minutes left or an alarm's condition change.
     *
     * @param starting the first news of this bake (a new line in the thread too)
     */
    record Baking(Duration left, List<AlarmState> alarms, boolean starting) implements ReleaseNews {
        public Baking {
            alarms = List.copyOf(alarms);
        }

        /** Whether people would see a difference: the whole minutes left, or an alarm's condition. */
        public boolean sameAs(Baking other) {
            return other != null && minutesLeft() == other.minutesLeft()
                    && alarms.stream().map(AlarmState::condition).toList().equals(other.alarms.stream().map(AlarmState::condition).toList());
        }

        /** Whole minutes left, rounded up: a bake is never said to be over before it is. */
        public long minutesLeft() {
            return (left.toSeconds() + 59) / 60;
        }
    }

    /** The request ended (succeeded or failed; its deployment tells why). */
    record Finished(String progress) implements ReleaseNews {
    }

    /**
     * A bake alarm fired and the release failed; {@code rollingBack} says whether the bot opened a rollback, which a
     * first release (nothing released before it) cannot have.
     */
    record AlarmFired(String progress, boolean rollingBack) implements ReleaseNews {
    }
}
