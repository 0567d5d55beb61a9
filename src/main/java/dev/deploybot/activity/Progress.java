package dev.deploybot.activity;

/**
 * Where a build or deployment stands, whatever the service calls it. Events arrive unordered, so the only
 * legal moves are out of {@link #IN_PROGRESS}: a late "in progress" never reopens something finished.
 */
public enum Progress {
    IN_PROGRESS, SUCCEEDED, FAILED;

    public boolean finished() {
        return this != IN_PROGRESS;
    }

    /** In progress may become anything (a phase moving on is a change too); a finished state stays as it is. */
    public boolean canMoveTo(Progress next) {
        return this == IN_PROGRESS;
    }
}
