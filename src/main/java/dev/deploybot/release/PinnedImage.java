package dev.deploybot.release;

import dev.deploybot.core.ImageRef;

import java.util.Objects;
import java.util.Optional;

/**
 * One image of a request, pinned when it was asked for: approvers approve these digests, whatever is pushed
 * afterwards. An image whose digest is what the release tag named then is released unchanged: its tags stay,
 * and the deployment keeps it on that digest.
 *
 * @param container      the container it feeds; empty: the deploy settings' container (a single-image environment)
 * @param commitTag      the tag naming its commit, when it has one
 * @param previousDigest what the release tag (for a rollback: the running generation) named when it was asked; null on a first release
 */
public record PinnedImage(String repository, Optional<String> container, String digest, String commitTag, String previousDigest) {
    public PinnedImage {
        Objects.requireNonNull(container, "container");
        new ImageRef(repository, digest); // checks both: a repository and a sha256 digest
    }

    public ImageRef image() {
        return new ImageRef(repository, digest);
    }

    /** False when the request leaves this image as it is. */
    public boolean changed() {
        return !digest.equals(previousDigest);
    }
}
