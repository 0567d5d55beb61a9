package dev.deploybot.activity;

import java.util.List;

/** Asks the CI service directly how builds stand, for when their events went missing. */
public interface BuildStatuses {
    /**
     * @param buildIds at most 100
     * @return what is known, one change per build found; builds the service does not know are listed in
     * {@link Lookup#unknown()}
     */
    Lookup lookup(List<String> buildIds);

    record Lookup(List<BuildChange> builds, List<String> unknown) {
        public Lookup {
            builds = List.copyOf(builds);
            unknown = List.copyOf(unknown);
        }
    }
}
