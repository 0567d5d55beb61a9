package dev.deploybot.release;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The container registry, as releases need it. Failures surface as
 * {@link dev.deploybot.core.ExternalFailure} with the registry's error code.
 */
public interface ImageRegistry {
    /** The manifests the tags point to now, fetched in one request; tags that do not exist are absent. */
    Map<String, Manifest> manifests(String repository, List<String> tags);

    /**
     * In one request, the manifest of the pinned image and of each tag: one consistent look at the
     * registry to plan a promotion from. Tags that do not exist are absent.
     */
    Snapshot snapshot(String repository, String pinnedDigest, List<String> tags);

    record Snapshot(Optional<Manifest> pinned, Map<String, Manifest> tags) {
        public Snapshot {
            tags = Map.copyOf(tags);
        }
    }

    /** Tags and push time of an image, empty when the digest is not in the repository. */
    Optional<ImageDetails> describe(String repository, String digest);

    /** True when the repository refuses to move existing tags (ECR tag immutability). */
    boolean tagsAreImmutable(String repository);

    /** The one check that the release tag can move, when a release is requested and again before the first write. */
    default java.util.Optional<Refusal.TagsImmutable> refusesToMove(String repository, String releaseTag) {
        return tagsAreImmutable(repository) ? java.util.Optional.of(new Refusal.TagsImmutable(repository, releaseTag))
                : java.util.Optional.empty();
    }

    /** The address containers pull from, e.g. {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app}. */
    String repositoryUri(String repository);

    /** Points the tag at the manifest. Idempotent: a tag already on that digest is reported, not an error. */
    TagResult tag(String repository, String tag, Manifest manifest);

    enum TagResult {
        MOVED, ALREADY_THERE
    }
}
