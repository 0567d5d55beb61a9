package dev.deploybot.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon ECR's image metadata API: {@code DescribeRepositories}, {@code BatchGetImage}, {@code PutImage} and
 * {@code DescribeImages}, with the real field names, error types and digest rule (the sha256 of the manifest's
 * UTF-8 bytes, stored byte-for-byte). Layers are not modelled: a manifest is accepted without its blobs.
 * Reached as {@link FakeAws#ecr()}. Thread-safe.
 */
public final class FakeEcr implements AwsJsonService {

    public static final String TARGET_PREFIX = "AmazonEC2ContainerRegistry_V20150921";
    public static final String PUT_IMAGE = TARGET_PREFIX + ".PutImage";
    public static final String BATCH_GET_IMAGE = TARGET_PREFIX + ".BatchGetImage";
    public static final String DESCRIBE_IMAGES = TARGET_PREFIX + ".DescribeImages";
    public static final String DESCRIBE_REPOSITORIES = TARGET_PREFIX + ".DescribeRepositories";

    public static final String DOCKER_MANIFEST_V1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /**
     * The failure code this fake answers when an image's media type is not in {@code acceptedMediaTypes}. ECR's
     * model has no such code and its documentation does not say what it answers; what matters to callers is that
     * the image is not returned (real ECR may instead hand out a converted manifest with another digest).
     */
    public static final String UNACCEPTED_MEDIA_TYPE_FAILURE = "UnsupportedImageType";

    /** What ECR's documentation lists as acceptedMediaTypes' values, assumed to be its default: no lists, no indexes. */
    private static final Set<String> DEFAULT_ACCEPTED = Set.of(DOCKER_MANIFEST_V1, DOCKER_MANIFEST, OCI_MANIFEST);
    private static final Set<String> LISTS = Set.of(DOCKER_MANIFEST_LIST, OCI_INDEX);
    private static final Pattern DIGEST = Pattern.compile("[a-zA-Z0-9_+.\\-]+:[a-fA-F0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Image(String digest, String manifest, String mediaType, Instant pushedAt) {
    }

    private static final class Repository {
        final String name;
        final Instant createdAt;
        boolean immutableTags;
        final Map<String, Image> images = new LinkedHashMap<>();
        final Map<String, String> digestByTag = new LinkedHashMap<>();

        Repository(String name, boolean immutableTags, Instant createdAt) {
            this.name = name;
            this.immutableTags = immutableTags;
            this.createdAt = createdAt;
        }

        List<String> tagsOf(String digest) {
            return digestByTag.entrySet().stream().filter(e -> e.getValue().equals(digest)).map(Map.Entry::getKey).toList();
        }
    }

    private final FakeAws aws;
    // Guarded by "this".
    private final Map<String, Repository> repositories = new LinkedHashMap<>();
    private boolean tagInDigestAnswers;

    FakeEcr(FakeAws aws) {
        this.aws = aws;
    }

    // ---- test setup and inspection ----

    public synchronized void createRepository(String name, boolean immutableTags) {
        if (repositories.containsKey(name)) {
            throw new IllegalStateException("repository " + name + " already exists");
        }
        repositories.put(name, new Repository(name, immutableTags, aws.clock().instant()));
    }

    /** What {@code PutImageTagMutability} does: later PutImage calls see the new setting. */
    public synchronized void setTagsImmutable(String repository, boolean immutableTags) {
        existing(repository).immutableTags = immutableTags;
    }

    /**
     * Pushes an image as {@code docker push} would, without recording a call: stores the manifest byte-for-byte and
     * points each tag at it, following the repository's tag mutability.
     *
     * @param mediaType null to take it from the manifest's {@code mediaType} field, as ECR does
     * @return the image digest, {@code "sha256:" + hex(sha256(UTF-8 bytes of manifestBody))}
     */
    public synchronized String pushImage(String repository, String manifestBody, String mediaType, String... tags) {
        Repository repo = existing(repository);
        String digest = digest(manifestBody);
        try {
            Image image = newImage(manifestBody, mediaType);
            repo.images.putIfAbsent(digest, image);
            for (String tag : tags) {
                try {
                    pointTag(repo, tag, digest);
                } catch (AwsError e) {
                    if (!e.type().equals("ImageAlreadyExistsException")) {
                        throw e;
                    }
                }
            }
        } catch (AwsError e) {
            throw new IllegalStateException("push refused: " + e.type() + ": " + e.getMessage(), e);
        }
        return digest;
    }

    /**
     * From now on {@code BatchGetImage} asked for an image by digest names one of the image's tags in the answer's
     * {@code imageId}, as ECR does for some requests.
     */
    public synchronized void nameATagInAnswersByDigest() {
        tagInDigestAnswers = true;
    }

    public synchronized Optional<String> digestOf(String repository, String tag) {
        return Optional.ofNullable(existing(repository).digestByTag.get(tag));
    }

    /** Every tag on the image, oldest first; empty for an untagged or unknown image. */
    public synchronized List<String> tagsOf(String repository, String digest) {
        return existing(repository).tagsOf(digest);
    }

    /** The manifest exactly as stored. */
    public synchronized Optional<String> manifestOf(String repository, String digest) {
        return Optional.ofNullable(existing(repository).images.get(digest)).map(Image::manifest);
    }

    public synchronized Optional<String> mediaTypeOf(String repository, String digest) {
        return Optional.ofNullable(existing(repository).images.get(digest)).map(Image::mediaType);
    }

    public List<AwsCall> putImageCalls() {
        return aws.calls(PUT_IMAGE);
    }

    /** How ECR names an image: the sha256 of the manifest's UTF-8 bytes. */
    public static String digest(String manifest) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(manifest.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String repositoryUri(String name) {
        return FakeAws.ACCOUNT_ID + ".dkr.ecr." + FakeAws.REGION + ".amazonaws.com/" + name;
    }

    public static String repositoryArn(String name) {
        return "arn:aws:ecr:" + FakeAws.REGION + ":" + FakeAws.ACCOUNT_ID + ":repository/" + name;
    }

    // ---- protocol ----

    @Override
    public synchronized JsonNode handle(String operation, JsonNode request) throws AwsError {
        return switch (operation) {
            case "DescribeRepositories" -> describeRepositories(request);
            case "BatchGetImage" -> batchGetImage(request);
            case "PutImage" -> putImage(request);
            case "DescribeImages" -> describeImages(request);
            default -> throw AwsError.unknownOperation(TARGET_PREFIX + "." + operation);
        };
    }

    private JsonNode describeRepositories(JsonNode request) throws AwsError {
        checkRegistry(request);
        List<Repository> found = new ArrayList<>();
        if (request.has("repositoryNames")) {
            for (JsonNode name : request.get("repositoryNames")) {
                found.add(repository(name.asText()));
            }
        } else {
            found.addAll(repositories.values());
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode list = response.putArray("repositories");
        for (Repository repo : found) {
            ObjectNode out = list.addObject();
            out.put("repositoryArn", repositoryArn(repo.name));
            out.put("registryId", FakeAws.ACCOUNT_ID);
            out.put("repositoryName", repo.name);
            out.put("repositoryUri", repositoryUri(repo.name));
            out.put("createdAt", epochSeconds(repo.createdAt));
            out.put("imageTagMutability", repo.immutableTags ? "IMMUTABLE" : "MUTABLE");
            out.putObject("imageScanningConfiguration").put("scanOnPush", false);
            out.putObject("encryptionConfiguration").put("encryptionType", "AES256");
        }
        return response;
    }

    private JsonNode batchGetImage(JsonNode request) throws AwsError {
        Repository repo = repository(request);
        JsonNode ids = nonEmptyArray(request, "imageIds");
        Set<String> accepted = DEFAULT_ACCEPTED;
        if (request.has("acceptedMediaTypes")) {
            accepted = new LinkedHashSet<>();
            for (JsonNode type : request.get("acceptedMediaTypes")) {
                accepted.add(type.asText());
            }
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode images = response.putArray("images");
        ArrayNode failures = response.putArray("failures");
        for (JsonNode id : ids) {
            String tag = id.path("imageTag").asText(null);
            String digest = id.path("imageDigest").asText(null);
            String failure = null;
            String reason = "Requested image not found";
            String resolved = tag == null ? digest : repo.digestByTag.get(tag);
            if (tag == null && digest == null) {
                failure = "MissingDigestAndTag";
                reason = "Invalid request parameters: both tag and digest cannot be null";
            } else if (digest != null && !DIGEST.matcher(digest).matches()) {
                failure = "InvalidImageDigest";
                reason = "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'";
            } else if (resolved == null || !repo.images.containsKey(resolved)) {
                failure = "ImageNotFound";
            } else if (digest != null && !digest.equals(resolved)) {
                failure = "ImageTagDoesNotMatchDigest";
                reason = "Invalid request parameters: given tag does not map to the given digest";
            } else if (!accepted.contains(repo.images.get(resolved).mediaType())) {
                failure = UNACCEPTED_MEDIA_TYPE_FAILURE;
                reason = "The image's media type " + repo.images.get(resolved).mediaType()
                        + " is not one of the accepted media types";
            }
            if (failure != null) {
                failures.addObject().<ObjectNode>set("imageId", id.deepCopy())
                        .put("failureCode", failure).put("failureReason", reason);
                continue;
            }
            Image image = repo.images.get(resolved);
            String named = tag == null && tagInDigestAnswers ? repo.tagsOf(resolved).stream().findFirst().orElse(null) : tag;
            images.add(imageObject(repo, image, named));
        }
        return response;
    }

    private JsonNode putImage(JsonNode request) throws AwsError {
        Repository repo = repository(request);
        String manifest = request.path("imageManifest").asText(null);
        if (manifest == null) {
            throw missing("imageManifest");
        }
        Image image = newImage(manifest, request.path("imageManifestMediaType").asText(null));
        String given = request.path("imageDigest").asText(null);
        if (given != null && !given.equals(image.digest())) {
            throw new AwsError("ImageDigestDoesNotMatchException", "The image digest '" + given
                    + "' does not match the digest '" + image.digest() + "' calculated for the image manifest");
        }
        String tag = request.path("imageTag").asText(null);
        Image stored = repo.images.get(image.digest());
        if (tag == null && stored != null) {
            throw new AwsError("ImageAlreadyExistsException", "Image with digest '" + image.digest()
                    + "' already exists in the repository with name '" + repo.name + "' in registry with id '"
                    + FakeAws.ACCOUNT_ID + "'");
        }
        if (tag != null) {
            pointTag(repo, tag, image.digest());
        }
        if (stored == null) {
            repo.images.put(image.digest(), image);
            stored = image;
        }
        ObjectNode response = JSON.createObjectNode();
        response.set("image", imageObject(repo, stored, tag));
        return response;
    }

    private JsonNode describeImages(JsonNode request) throws AwsError {
        Repository repo = repository(request);
        Set<Image> found = new LinkedHashSet<>();
        if (request.has("imageIds")) {
            for (JsonNode id : nonEmptyArray(request, "imageIds")) {
                found.add(find(repo, id));
            }
        } else {
            found.addAll(repo.images.values());
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode details = response.putArray("imageDetails");
        for (Image image : found) {
            ObjectNode detail = details.addObject();
            detail.put("registryId", FakeAws.ACCOUNT_ID);
            detail.put("repositoryName", repo.name);
            detail.put("imageDigest", image.digest());
            List<String> tags = repo.tagsOf(image.digest());
            if (!tags.isEmpty()) {
                ArrayNode tagArray = detail.putArray("imageTags");
                tags.forEach(tagArray::add);
            }
            detail.put("imageSizeInBytes", sizeInBytes(repo, image));
            detail.put("imagePushedAt", epochSeconds(image.pushedAt()));
            detail.put("imageManifestMediaType", image.mediaType());
            String artifactType = parse(image.manifest()).path("config").path("mediaType").asText(null);
            if (artifactType != null) {
                detail.put("artifactMediaType", artifactType);
            }
        }
        return response;
    }

    // ---- images and tags ----

    private Image newImage(String manifest, String mediaType) throws AwsError {
        String declared = parse(manifest).path("mediaType").asText(null);
        if (mediaType == null && declared == null) {
            throw new AwsError("InvalidParameterException", "Invalid parameter at 'imageManifestMediaType' failed to "
                    + "satisfy constraint: 'media type must be given when the manifest has no mediaType field'");
        }
        if (mediaType != null && declared != null && !mediaType.equals(declared)) {
            throw new AwsError("InvalidParameterException", "Invalid parameter at 'imageManifestMediaType' failed to "
                    + "satisfy constraint: 'does not match the manifest's mediaType " + declared + "'");
        }
        return new Image(digest(manifest), manifest, mediaType != null ? mediaType : declared, aws.clock().instant());
    }

    /** A tag names one image; moving it leaves the image it left with its other tags, or untagged. */
    private static void pointTag(Repository repo, String tag, String digest) throws AwsError {
        String current = repo.digestByTag.get(tag);
        if (digest.equals(current)) {
            throw new AwsError("ImageAlreadyExistsException", "Image with digest '" + digest + "' and tag '" + tag
                    + "' already exists in the repository with name '" + repo.name + "' in registry with id '"
                    + FakeAws.ACCOUNT_ID + "'");
        }
        if (current != null && repo.immutableTags) {
            throw new AwsError("ImageTagAlreadyExistsException", "The image tag '" + tag + "' already exists in the '"
                    + repo.name + "' repository and cannot be overwritten because the repository is immutable.");
        }
        repo.digestByTag.put(tag, digest);
    }

    private static Image find(Repository repo, JsonNode id) throws AwsError {
        String tag = id.path("imageTag").asText(null);
        String digest = id.path("imageDigest").asText(null);
        String resolved = tag == null ? digest : repo.digestByTag.get(tag);
        Image image = resolved == null ? null : repo.images.get(resolved);
        if (image == null || (digest != null && !digest.equals(resolved))) {
            throw new AwsError("ImageNotFoundException", "The image with imageId {imageDigest:'" + digest
                    + "', imageTag:'" + tag + "'} does not exist within the repository with name '" + repo.name
                    + "' in the registry with id '" + FakeAws.ACCOUNT_ID + "'");
        }
        return image;
    }

    /** ECR's rule: the layers' compressed sizes; for a list or index, the largest of its images here. */
    private static long sizeInBytes(Repository repo, Image image) throws AwsError {
        JsonNode manifest = parse(image.manifest());
        long size = 0;
        if (LISTS.contains(image.mediaType())) {
            for (JsonNode child : manifest.path("manifests")) {
                Image childImage = repo.images.get(child.path("digest").asText());
                if (childImage != null && childImage != image) {
                    size = Math.max(size, sizeInBytes(repo, childImage));
                }
            }
            return size;
        }
        for (JsonNode layer : manifest.path("layers")) {
            size += layer.path("size").asLong();
        }
        return size;
    }

    private static ObjectNode imageObject(Repository repo, Image image, String tag) {
        ObjectNode out = JSON.createObjectNode();
        out.put("registryId", FakeAws.ACCOUNT_ID);
        out.put("repositoryName", repo.name);
        ObjectNode id = out.putObject("imageId");
        id.put("imageDigest", image.digest());
        if (tag != null) {
            id.put("imageTag", tag);
        }
        out.put("imageManifest", image.manifest());
        out.put("imageManifestMediaType", image.mediaType());
        return out;
    }

    // ---- requests ----

    private Repository repository(JsonNode request) throws AwsError {
        checkRegistry(request);
        String name = request.path("repositoryName").asText(null);
        if (name == null) {
            throw missing("repositoryName");
        }
        return repository(name);
    }

    private Repository repository(String name) throws AwsError {
        Repository repo = repositories.get(name);
        if (repo == null) {
            throw new AwsError("RepositoryNotFoundException", "The repository with name '" + name
                    + "' does not exist in the registry with id '" + FakeAws.ACCOUNT_ID + "'");
        }
        return repo;
    }

    private static void checkRegistry(JsonNode request) throws AwsError {
        String registry = request.path("registryId").asText(FakeAws.ACCOUNT_ID);
        if (!registry.equals(FakeAws.ACCOUNT_ID)) {
            throw AwsError.accessDenied("User is not authorized to access registry " + registry);
        }
    }

    private Repository existing(String name) {
        Repository repo = repositories.get(name);
        if (repo == null) {
            throw new IllegalArgumentException("no repository " + name + "; created: " + repositories.keySet());
        }
        return repo;
    }

    private static JsonNode nonEmptyArray(JsonNode request, String member) throws AwsError {
        JsonNode array = request.path(member);
        if (!array.isArray() || array.isEmpty()) {
            throw missing(member);
        }
        return array;
    }

    private static JsonNode parse(String manifest) throws AwsError {
        try {
            JsonNode parsed = JSON.readTree(manifest);
            if (parsed != null && parsed.isObject()) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // answered below, as ECR answers it
        }
        throw new AwsError("InvalidParameterException",
                "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'");
    }

    private static AwsError missing(String member) {
        return new AwsError("InvalidParameterException", "Invalid parameter at '" + member
                + "' failed to satisfy constraint: 'Member must not be null or empty'");
    }

    /** AWS JSON timestamps: epoch seconds with millisecond fraction, never in exponent notation. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }
}
