package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.ImageDetails;
import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.Manifest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.Repository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

@Singleton
public class EcrImageRegistry implements ImageRegistry {
    /**
     * Every manifest type a release may carry. Leaving out the list and index types would make ECR withhold
     * multi-arch images (or hand out a single-platform manifest whose digest is not the tag's).
     */
    static final List<String> ACCEPTED_MEDIA_TYPES = List.of(
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
    /** Mutability and URI do not change during a release; a few minutes saves a call per question. */
    static final Duration REPOSITORY_CACHE_TTL = Duration.ofMinutes(5);

    private static final Set<String> RETRYABLE_IMAGE_FAILURES = Set.of("UpstreamTooManyRequests", "UpstreamUnavailable");

    private record CachedRepository(Repository repository, Instant fetchedAt) {
    }

    private final Provider<EcrClient> ecr;
    private final Clock clock;
    private final Map<String, CachedRepository> repositories = new ConcurrentHashMap<>();

    @Inject
    public EcrImageRegistry(Provider<EcrClient> ecr) {
        this(ecr, Clock.systemUTC());
    }

    EcrImageRegistry(Provider<EcrClient> ecr, Clock clock) {
        this.ecr = ecr;
        this.clock = clock;
    }

    @Override
    public Map<String, Manifest> manifests(String repository, List<String> tags) {
        if (tags.isEmpty()) {
            return Map.of(); // ECR refuses an empty imageIds
        }
        return byTag(repository, batchGet(repository, tagIds(tags)));
    }

    @Override
    public Snapshot snapshot(String repository, String pinnedDigest, List<String> tags) {
        List<ImageIdentifier> ids = new ArrayList<>(tagIds(tags));
        ids.add(ImageIdentifier.builder().imageDigest(pinnedDigest).build());
        List<Image> images = batchGet(repository, ids);
        // ECR may name one of the image's tags in its answer to a query by digest: the digest alone decides.
        Optional<Manifest> pinned = images.stream()
                .filter(image -> pinnedDigest.equals(image.imageId().imageDigest()))
                .findFirst()
                .map(image -> manifest(repository, image));
        return new Snapshot(pinned, byTag(repository, images));
    }

    private static List<ImageIdentifier> tagIds(List<String> tags) {
        return tags.stream().distinct().map(tag -> ImageIdentifier.builder().imageTag(tag).build()).toList();
    }

    private Map<String, Manifest> byTag(String repository, List<Image> images) {
        Map<String, Manifest> manifests = new LinkedHashMap<>();
        for (Image image : images) {
            if (image.imageId().imageTag() != null) {
                // The answer to a tag query comes first; a tag named in the answer to the digest query must not replace it.
                manifests.putIfAbsent(image.imageId().imageTag(), manifest(repository, image));
            }
        }
        return manifests;
    }

    private List<Image> batchGet(String repository, List<ImageIdentifier> ids) {
        BatchGetImageResponse response;
        try {
            response = ecr.get().batchGetImage(r -> r.repositoryName(repository).imageIds(ids)
                    .acceptedMediaTypes(ACCEPTED_MEDIA_TYPES));
        } catch (SdkException e) {
            throw AwsFailures.translate("ECR", e);
        }
        for (ImageFailure failure : response.failures()) {
            if (!"ImageNotFound".equals(failure.failureCodeAsString())) {
                String id = failure.imageId().imageTag() != null ? failure.imageId().imageTag() : failure.imageId().imageDigest();
                throw new ExternalFailure("ECR", failure.failureCodeAsString(), failure.failureReason()
                        + " (" + repository + ":" + id + ")",
                        RETRYABLE_IMAGE_FAILURES.contains(failure.failureCodeAsString()), null);
            }
        }
        return response.images();
    }

    @Override
    public Optional<ImageDetails> describe(String repository, String digest) {
        try {
            List<ImageDetail> details = ecr.get().describeImages(r -> r.repositoryName(repository)
                    .imageIds(ImageIdentifier.builder().imageDigest(digest).build())).imageDetails();
            return details.stream().findFirst()
                    .map(detail -> new ImageDetails(detail.imageDigest(), detail.imageTags(), detail.imagePushedAt()));
        } catch (ImageNotFoundException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.translate("ECR", e);
        }
    }

    /**
     * Only a repository that says every tag is mutable counts as mutable: with exclusion filters some tags are
     * immutable, and finding that out half-way through a release is worse than refusing it up front.
     */
    @Override
    public boolean tagsAreImmutable(String repository) {
        // Asked right before the first write of a release: a cached answer could let a repository made
        // immutable since then fail the promotion half-way.
        repositories.remove(repository);
        return describeRepository(repository).imageTagMutability() != ImageTagMutability.MUTABLE;
    }

    @Override
    public String repositoryUri(String repository) {
        return describeRepository(repository).repositoryUri();
    }

    @Override
    public TagResult tag(String repository, String tag, Manifest manifest) {
        try {
            // The digest makes ECR refuse the write if anything on the way altered the manifest's bytes.
            ecr.get().putImage(r -> r.repositoryName(repository).imageTag(tag)
                    .imageManifest(manifest.body())
                    .imageManifestMediaType(manifest.mediaType())
                    .imageDigest(manifest.digest()));
            return TagResult.MOVED;
        } catch (ImageAlreadyExistsException e) {
            return TagResult.ALREADY_THERE;
        } catch (SdkException e) {
            throw AwsFailures.translate("ECR", e);
        }
    }

    private static Manifest manifest(String repository, Image image) {
        if (image.imageManifestMediaType() == null) {
            // Guessing the type could change what PutImage stores, so refuse rather than re-tag with a guess.
            throw new ExternalFailure("ECR", "MissingManifestMediaType", "no media type for "
                    + repository + ":" + image.imageId().imageTag(), false, null);
        }
        return new Manifest(image.imageId().imageDigest(), image.imageManifest(), image.imageManifestMediaType());
    }

    private Repository describeRepository(String repository) {
        CachedRepository cached = repositories.get(repository);
        Instant now = clock.instant();
        if (cached != null && now.isBefore(cached.fetchedAt().plus(REPOSITORY_CACHE_TTL))) {
            return cached.repository();
        }
        try {
            Repository fresh = ecr.get().describeRepositories(r -> r.repositoryNames(repository)).repositories().stream()
                    .findFirst().orElseThrow(() -> new ExternalFailure("ECR", "RepositoryNotFoundException",
                            "no description of " + repository, false, null));
            repositories.put(repository, new CachedRepository(fresh, now));
            return fresh;
        } catch (SdkException e) {
            throw AwsFailures.translate("ECR", e);
        }
    }
}
