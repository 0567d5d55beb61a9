package dev.deploybot.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.BatchGetImageResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.Image;
import software.amazon.awssdk.services.ecr.model.ImageAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageDigestDoesNotMatchException;
import software.amazon.awssdk.services.ecr.model.ImageFailure;
import software.amazon.awssdk.services.ecr.model.ImageFailureCode;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.PutImageRequest;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake's ECR semantics, observed through the real SDK client. */
class FakeEcrTest {

    private static final String REPO = "api";
    private static final Instant PUSHED = Instant.parse("2024-05-01T10:15:30.250Z");
    // Key order, spacing and a non-ASCII annotation that any re-serialisation would change.
    private static final String MANIFEST = """
            {"schemaVersion": 2,  "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 1470,
                "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
              "layers": [{"size": 3000, "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": "sha256:2ca708c1c9ccc509b070f226d6e4712604e0c48b55d7d8f5adc9be4a4d36029a"},
                {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 500,
                "digest": "sha256:9c4c5f0c0ab1e0e0e1c5d1d7f3f6fa0bd1bb5b47b5a2e2d3b6e5c9b7a1f0e2d3"}],
              "annotations": {"org.opencontainers.image.description": "déploiement ✓"}}
            """;
    private static final String INDEX = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}""";

    private FakeAws fake;
    private FakeEcr ecrFake;
    private EcrClient ecr;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.setClock(Clock.fixed(PUSHED, ZoneOffset.UTC));
        ecrFake = fake.ecr();
        ecrFake.createRepository(REPO, false);
        ecr = EcrClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(FakeAws.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        ecr.close();
        fake.close();
    }

    @Test
    void digestIsTheSha256OfTheManifestBytesAndTheManifestComesBackVerbatim() throws Exception {
        String expected = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(MANIFEST.getBytes(StandardCharsets.UTF_8)));

        String digest = ecrFake.pushImage(REPO, MANIFEST, null, "v1");

        assertThat(digest).isEqualTo(expected).isEqualTo(FakeEcr.digest(MANIFEST));
        Image image = ecr.batchGetImage(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())).images().get(0);
        assertThat(image.imageManifest()).isEqualTo(MANIFEST);
        assertThat(image.imageManifestMediaType()).isEqualTo(FakeEcr.OCI_MANIFEST);
        assertThat(image.imageId().imageDigest()).isEqualTo(expected);
        assertThat(image.imageId().imageTag()).isEqualTo("v1");
        assertThat(image.registryId()).isEqualTo(FakeAws.ACCOUNT_ID);
        assertThat(image.repositoryName()).isEqualTo(REPO);
    }

    @Test
    void batchGetImageReportsEachMissingOrMismatchedIdAsAFailure() {
        String digest = ecrFake.pushImage(REPO, MANIFEST, null, "v1");
        String other = ecrFake.pushImage(REPO, MANIFEST.replace("1470", "1471"), null, "v2");

        BatchGetImageResponse response = ecr.batchGetImage(r -> r.repositoryName(REPO).imageIds(
                ImageIdentifier.builder().imageTag("v1").build(),
                ImageIdentifier.builder().imageDigest(other).build(),
                ImageIdentifier.builder().imageTag("nope").build(),
                ImageIdentifier.builder().imageTag("v1").imageDigest(other).build(),
                ImageIdentifier.builder().build()));

        assertThat(response.images()).extracting(i -> i.imageId().imageDigest()).containsExactly(digest, other);
        assertThat(response.images().get(1).imageId().imageTag()).as("asked by digest").isNull();
        assertThat(response.failures()).extracting(ImageFailure::failureCode).containsExactly(
                ImageFailureCode.IMAGE_NOT_FOUND, ImageFailureCode.IMAGE_TAG_DOES_NOT_MATCH_DIGEST,
                ImageFailureCode.MISSING_DIGEST_AND_TAG);
        assertThat(response.failures().get(0).failureReason()).isEqualTo("Requested image not found");
        assertThat(response.failures().get(0).imageId().imageTag()).isEqualTo("nope");
    }

    @Test
    void imagesOfAMediaTypeTheClientDoesNotAcceptAreWithheld() {
        ecrFake.pushImage(REPO, INDEX, FakeEcr.OCI_INDEX, "multi");

        BatchGetImageResponse defaults = ecr.batchGetImage(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageTag("multi").build()));
        BatchGetImageResponse manifestsOnly = ecr.batchGetImage(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageTag("multi").build())
                .acceptedMediaTypes(FakeEcr.DOCKER_MANIFEST, FakeEcr.OCI_MANIFEST));
        BatchGetImageResponse withIndex = ecr.batchGetImage(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageTag("multi").build())
                .acceptedMediaTypes(FakeEcr.OCI_MANIFEST, FakeEcr.OCI_INDEX));

        for (BatchGetImageResponse withheld : new BatchGetImageResponse[] {defaults, manifestsOnly}) {
            assertThat(withheld.images()).isEmpty();
            assertThat(withheld.failures()).singleElement().satisfies(f ->
                    assertThat(f.failureCodeAsString()).isEqualTo(FakeEcr.UNACCEPTED_MEDIA_TYPE_FAILURE));
        }
        assertThat(withIndex.images()).singleElement()
                .satisfies(i -> assertThat(i.imageManifest()).isEqualTo(INDEX));
    }

    @Test
    void putImageMovesATagAndLeavesTheOldImageItsOtherTags() {
        String old = ecrFake.pushImage(REPO, MANIFEST, null, "release", "build-1");
        String manifest2 = MANIFEST.replace("1470", "1471");

        Image put = ecr.putImage(r -> r.repositoryName(REPO).imageTag("release")
                .imageManifest(manifest2).imageManifestMediaType(FakeEcr.OCI_MANIFEST)).image();

        String moved = FakeEcr.digest(manifest2);
        assertThat(put.imageId().imageDigest()).isEqualTo(moved);
        assertThat(put.imageId().imageTag()).isEqualTo("release");
        assertThat(put.imageManifest()).isEqualTo(manifest2);
        assertThat(ecrFake.digestOf(REPO, "release")).hasValue(moved);
        assertThat(ecrFake.tagsOf(REPO, old)).containsExactly("build-1");
        assertThat(ecrFake.manifestOf(REPO, moved)).hasValue(manifest2);
        assertThat(ecrFake.putImageCalls()).singleElement()
                .satisfies(call -> assertThat(call.request().get("imageTag").asText()).isEqualTo("release"));
    }

    @Test
    void putImageOfTheDigestATagAlreadyNamesIsImageAlreadyExists() {
        String digest = ecrFake.pushImage(REPO, MANIFEST, null, "v1");

        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName(REPO).imageTag("v1").imageManifest(MANIFEST)))
                .isInstanceOf(ImageAlreadyExistsException.class)
                .hasMessageContaining("Image with digest '" + digest + "' and tag 'v1' already exists");
    }

    @Test
    void immutableRepositoryRefusesToMoveATagButAcceptsNewOnes() {
        ecrFake.createRepository("locked", true);
        String first = ecrFake.pushImage("locked", MANIFEST, null, "v1");
        String manifest2 = MANIFEST.replace("1470", "1471");

        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName("locked").imageTag("v1").imageManifest(manifest2)))
                .isInstanceOf(ImageTagAlreadyExistsException.class)
                .hasMessageContaining("cannot be overwritten because the repository is immutable");
        ecr.putImage(r -> r.repositoryName("locked").imageTag("v2").imageManifest(manifest2));

        assertThat(ecrFake.digestOf("locked", "v1")).hasValue(first);
        assertThat(ecrFake.digestOf("locked", "v2")).hasValue(FakeEcr.digest(manifest2));
        assertThatThrownBy(() -> ecrFake.pushImage("locked", manifest2, null, "v1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void putImageWithADigestThatDoesNotMatchTheBytesIsRefused() {
        PutImageRequest request = PutImageRequest.builder().repositoryName(REPO).imageTag("v1")
                .imageManifest(MANIFEST.strip()).imageDigest(FakeEcr.digest(MANIFEST)).build();

        assertThatThrownBy(() -> ecr.putImage(request)).isInstanceOf(ImageDigestDoesNotMatchException.class);
        assertThat(ecrFake.digestOf(REPO, "v1")).isEmpty();
    }

    @Test
    void putImageKeepsTheGivenMediaTypeAndRefusesManifestsWithoutOne() {
        String schema2 = "{\"schemaVersion\":2,\"config\":{},\"layers\":[]}";

        ecr.putImage(r -> r.repositoryName(REPO).imageTag("v1").imageManifest(schema2)
                .imageManifestMediaType(FakeEcr.DOCKER_MANIFEST));

        assertThat(ecrFake.mediaTypeOf(REPO, FakeEcr.digest(schema2))).hasValue(FakeEcr.DOCKER_MANIFEST);
        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName(REPO).imageTag("v2").imageManifest(schema2)))
                .isInstanceOfSatisfying(EcrException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException"));
        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName(REPO).imageTag("v2").imageManifest("{not json")))
                .hasMessageContaining("Invalid JSON syntax");
    }

    @Test
    void describeImagesGivesTagsPushTimeAndSize() {
        String digest = ecrFake.pushImage(REPO, MANIFEST, null, "v1", "latest");

        ImageDetail detail = ecr.describeImages(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageDigest(digest).build())).imageDetails().get(0);

        assertThat(detail.imageDigest()).isEqualTo(digest);
        assertThat(detail.imageTags()).containsExactly("v1", "latest");
        assertThat(detail.imagePushedAt()).isEqualTo(PUSHED);
        assertThat(detail.imageManifestMediaType()).isEqualTo(FakeEcr.OCI_MANIFEST);
        assertThat(detail.artifactMediaType()).isEqualTo("application/vnd.oci.image.config.v1+json");
        assertThat(detail.imageSizeInBytes()).isEqualTo(3500L);
        assertThat(detail.registryId()).isEqualTo(FakeAws.ACCOUNT_ID);
    }

    @Test
    void describeImagesOfAnUnknownImageIsImageNotFound() {
        String unknown = FakeEcr.digest("nothing");

        assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName(REPO)
                .imageIds(ImageIdentifier.builder().imageDigest(unknown).build())))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("The image with imageId {imageDigest:'" + unknown + "', imageTag:'null'} "
                        + "does not exist within the repository with name 'api'");
    }

    @Test
    void describeRepositoriesHasTheRealFields() {
        ecrFake.createRepository("locked", true);

        Repository api = ecr.describeRepositories(r -> r.repositoryNames(REPO)).repositories().get(0);
        Repository locked = ecr.describeRepositories(r -> r.repositoryNames("locked")).repositories().get(0);

        assertThat(api.repositoryName()).isEqualTo(REPO);
        assertThat(api.repositoryArn()).isEqualTo("arn:aws:ecr:eu-west-1:123456789012:repository/api");
        assertThat(api.registryId()).isEqualTo(FakeAws.ACCOUNT_ID);
        assertThat(api.repositoryUri()).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api");
        assertThat(api.createdAt()).isEqualTo(PUSHED);
        assertThat(api.imageTagMutability()).isEqualTo(ImageTagMutability.MUTABLE);
        assertThat(locked.imageTagMutability()).isEqualTo(ImageTagMutability.IMMUTABLE);
    }

    @Test
    void unknownRepositoryIsRepositoryNotFoundForEveryOperation() {
        String message = "The repository with name 'nope' does not exist in the registry with id '123456789012'";

        assertThatThrownBy(() -> ecr.describeRepositories(r -> r.repositoryNames("nope")))
                .isInstanceOf(RepositoryNotFoundException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> ecr.batchGetImage(r -> r.repositoryName("nope")
                .imageIds(ImageIdentifier.builder().imageTag("v1").build())))
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName("nope").imageTag("v1").imageManifest(MANIFEST)))
                .isInstanceOf(RepositoryNotFoundException.class);
        assertThatThrownBy(() -> ecr.describeImages(r -> r.repositoryName("nope")))
                .isInstanceOf(RepositoryNotFoundException.class);
    }

    @Test
    void failOnCallStopsExactlyTheNthPutImage() {
        fake.failOnCall(FakeEcr.PUT_IMAGE, 2, AwsError.accessDenied("not now"));

        ecr.putImage(r -> r.repositoryName(REPO).imageTag("a").imageManifest(MANIFEST));
        assertThatThrownBy(() -> ecr.putImage(r -> r.repositoryName(REPO).imageTag("b").imageManifest(MANIFEST)))
                .isInstanceOfSatisfying(EcrException.class, e ->
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException"));
        ecr.putImage(r -> r.repositoryName(REPO).imageTag("c").imageManifest(MANIFEST));

        assertThat(ecrFake.tagsOf(REPO, FakeEcr.digest(MANIFEST))).containsExactly("a", "c");
        assertThat(ecrFake.putImageCalls()).extracting(AwsCall::errorType)
                .containsExactly(null, "AccessDeniedException", null);
        assertThatThrownBy(() -> fake.failOnCall(FakeEcr.PUT_IMAGE, 0, AwsError.throttling()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
