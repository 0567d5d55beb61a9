package dev.deploybot.release;

import java.util.Objects;

/**
 * An image manifest exactly as the registry stored it. The body is kept byte-for-byte and the media
 * type passed through: re-serialising or guessing either changes the digest of multi-arch images.
 */
public record Manifest(String digest, String body, String mediaType) {
    public Manifest {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(mediaType, "mediaType");
    }
}
