package dev.deploybot.core;

import java.util.Objects;
import java.util.regex.Pattern;

/** An image pinned by content: a repository and a digest, never a movable tag. */
public record ImageRef(String repository, String digest) {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public ImageRef {
        Objects.requireNonNull(repository, "repository");
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
    }

    /** The first 12 hex digits, as people and registries show it. */
    public String shortDigest() {
        return shortDigest(digest);
    }

    /** The same for any digest text; anything that is not a sha256 digest is shown as it is. */
    public static String shortDigest(String digest) {
        return digest != null && digest.startsWith("sha256:") && digest.length() >= 19 ? digest.substring(7, 19) : digest;
    }
}
