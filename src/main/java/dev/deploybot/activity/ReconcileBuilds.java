package dev.deploybot.activity;

import dev.deploybot.core.BuildLog;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Asks CodeBuild about the builds the bot started and has not seen finish. EventBridge may drop an event;
 * without this, a lost "failed" would leave a message saying "in progress" for ever. What it finds goes the
 * same way as an event, so the message and the reply look the same either way.
 */
@Singleton
public class ReconcileBuilds {
    /** BatchGetBuilds takes at most 100 ids. */
    static final int BATCH = 100;
    private final BuildLog builds;
    private final BuildStatuses statuses;
    private final RecordChange recordChange;

    public ReconcileBuilds(BuildLog builds, BuildStatuses statuses, RecordChange recordChange) {
        this.builds = builds;
        this.statuses = statuses;
        this.recordChange = recordChange;
    }

    /** One look; answers how many builds were found finished. Throws {@link dev.deploybot.core.ExternalFailure}. */
    public int reconcile() {
        List<String> unfinished = builds.unfinished(BATCH);
        if (unfinished.isEmpty()) {
            return 0;
        }
        BuildStatuses.Lookup lookup = statuses.lookup(unfinished);
        int finished = 0;
        for (BuildChange build : lookup.builds()) {
            if (build.progress().finished()) {
                recordChange.record(build);
                finished++;
            }
        }
        // Deleted or expired builds will never finish; stop asking about them.
        lookup.unknown().forEach(id -> builds.finished(id, "UNKNOWN"));
        return finished;
    }
}
