package dev.deploybot.release;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a release request. Transitions are explicit; the store applies them conditionally
 * (from the expected state only), which is what makes the first decision win.
 */
public enum ReleaseState {
    /** Waiting for approvers. */
    PENDING,
    /** Approved; the promotion plan is being recorded or applied. */
    APPROVED,
    /** Tags moved; the environment's migration task runs before anything is deployed. */
    MIGRATING,
    /** Tags moved, the new image is being put into service. */
    DEPLOYING,
    /**
     * In service; the environment's bake alarms are watched for {@code release.bake.duration} before the release is
     * called done. It still holds the environment: nothing else ships while it bakes.
     */
    BAKING,
    SUCCEEDED, FAILED, REJECTED, CANCELLED, EXPIRED, SUPERSEDED;

    public Set<ReleaseState> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(APPROVED, REJECTED, CANCELLED, EXPIRED, SUPERSEDED);
            case APPROVED -> EnumSet.of(MIGRATING, DEPLOYING, FAILED);
            case MIGRATING -> EnumSet.of(DEPLOYING, FAILED);
            case DEPLOYING -> EnumSet.of(BAKING, SUCCEEDED, FAILED);
            case BAKING -> EnumSet.of(SUCCEEDED, FAILED);
            default -> EnumSet.noneOf(ReleaseState.class);
        };
    }

    public boolean canMoveTo(ReleaseState target) {
        return next().contains(target);
    }

    public boolean finished() {
        return next().isEmpty();
    }

    /** Holding the environment's single "running" slot. */
    public boolean running() {
        return this == APPROVED || this == MIGRATING || this == DEPLOYING || this == BAKING;
    }
}
