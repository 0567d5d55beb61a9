package dev.deploybot.core;

/**
 * Where a build or deployment stands, whatever the service calls it: said by an event ({@code activity}) or
 * seen by the bot's own look ({@code deploy}), so both tell one story in one vocabulary. Events arrive
 * unordered, so the only legal moves are out of {@link #IN_PROGRESS}: a late "in progress" never reopens
 * something finished.
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
