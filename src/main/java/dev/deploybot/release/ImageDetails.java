package dev.deploybot.release;

import java.time.Instant;
import java.util.List;

/** What the registry knows about one image: every tag on it and when it was pushed. */
public record ImageDetails(String digest, List<String> tags, Instant pushedAt) {
    public ImageDetails {
        tags = List.copyOf(tags);
    }
}
