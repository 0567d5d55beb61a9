package dev.deploybot.release;

import java.time.Instant;

/** Remembers which mismatches between the release tag and what runs have been reported. */
public interface DriftReports {
    /** True the first time this mismatch is seen in the environment, false ever after. */
    boolean firstReport(String environment, String releaseDigest, String runningDigest, Instant at);
}
