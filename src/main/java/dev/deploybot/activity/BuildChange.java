package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a CodeBuild event (or {@code BatchGetBuilds}) says about a build. Only the build id and status are
 * certain; everything else is whatever the event carried, null when it did not.
 *
 * @param buildId       {@code project:uuid}, as {@code StartBuild} answers it (events carry it inside an ARN)
 * @param status        CodeBuild's status: IN_PROGRESS, SUCCEEDED, FAILED, FAULT, TIMED_OUT or STOPPED
 * @param currentPhase  the phase the build is in, when known
 * @param sourceVersion the ref or commit that was built
 * @param initiator     who CodeBuild says started it: an IAM principal, {@code codepipeline/…}, …
 * @param failedPhase   the first phase that did not succeed, with CodeBuild's message about it
 * @param logsUrl       the CloudWatch Logs deep link
 */
public record BuildChange(String buildId, String project, long number, String status, String currentPhase,
                          String sourceVersion, String initiator, Instant startedAt, Instant endedAt,
                          FailedPhase failedPhase, String logsUrl, Instant occurredAt) implements Change {
    /** CodeBuild's unsuccessful end states; each of them is told to people, whatever the route says. */
    public static final Set<String> FAILURES = Set.of("FAILED", "FAULT", "TIMED_OUT", "STOPPED");

    public BuildChange {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public record FailedPhase(String phase, String status, String message) {
        public FailedPhase {
            Objects.requireNonNull(phase, "phase");
        }
    }

    @Override
    public Progress progress() {
        if (status.equals("SUCCEEDED")) {
            return Progress.SUCCEEDED;
        }
        return FAILURES.contains(status) ? Progress.FAILED : Progress.IN_PROGRESS;
    }

    /** This change laid over what an earlier one told: whatever this one does not know is kept. */
    public BuildChange over(BuildChange earlier) {
        return new BuildChange(buildId, project, number != 0 ? number : earlier.number, status,
                first(currentPhase, earlier.currentPhase), first(sourceVersion, earlier.sourceVersion),
                first(initiator, earlier.initiator), first(startedAt, earlier.startedAt), first(endedAt, earlier.endedAt),
                first(failedPhase, earlier.failedPhase), first(logsUrl, earlier.logsUrl), occurredAt);
    }

    /** How long it ran: until its end, or until this change when it finished without an end time. */
    public Optional<Duration> duration() {
        if (startedAt == null) {
            return Optional.empty();
        }
        Instant end = endedAt != null ? endedAt : progress().finished() ? occurredAt : null;
        return end == null || end.isBefore(startedAt) ? Optional.empty() : Optional.of(Duration.between(startedAt, end));
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
