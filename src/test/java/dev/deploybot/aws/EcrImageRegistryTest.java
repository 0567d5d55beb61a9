package dev.deploybot.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.ImageDetails;
import dev.deploybot.release.ImageRegistry.TagResult;
import dev.deploybot.release.Manifest;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcrImageRegistryTest {

    private static final String REPO = "api";
    private static final String LOCKED = "api-locked";
    private static final Instant PUSHED = Instant.parse("2024-05-01T10:15:30Z");

    private FakeAws fake;
    private FakeEcr ecrFake;
    private EcrClient ecr;
    private SteppingClock clock;
    private EcrImageRegistry registry;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.setClock(Clock.fixed(PUSHED, ZoneOffset.UTC));
        ecrFake = fake.ecr();
        ecrFake.createRepository(REPO, false);
        ecrFake.createRepository(LOCKED, true);
        ecr = EcrClient.builder()
                .endpointOverride(fake.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(FakeAws.credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        clock = new SteppingClock(PUSHED);
        registry = new EcrImageRegistry(() -> ecr, clock);
    }

    @AfterEach
    void stop() {
        ecr.close();
        fake.close();
    }

    @Test
    void manifestsOfAllTagsComeFromOneBatchGetImageAcceptingEveryManifestType() {
        String docker = ecrFake.pushImage(REPO, platformManifest(FakeEcr.DOCKER_MANIFEST, "amd64"), null, "docker");
        String list = ecrFake.pushImage(REPO, index(FakeEcr.DOCKER_MANIFEST_LIST), null, "list");
        String oci = ecrFake.pushImage(REPO, platformManifest(FakeEcr.OCI_MANIFEST, "arm64"), null, "oci");
        String index = ecrFake.pushImage(REPO, index(FakeEcr.OCI_INDEX), null, "index");

        Map<String, Manifest> manifests = registry.manifests(REPO, List.of("docker", "list", "oci", "index", "missing"));

        assertThat(manifests).containsOnlyKeys("docker", "list", "oci", "index");
        assertThat(manifests.get("docker")).isEqualTo(new Manifest(docker,
                platformManifest(FakeEcr.DOCKER_MANIFEST, "amd64"), FakeEcr.DOCKER_MANIFEST));
        assertThat(manifests.get("list").digest()).isEqualTo(list);
        assertThat(manifests.get("list").mediaType()).isEqualTo(FakeEcr.DOCKER_MANIFEST_LIST);
        assertThat(manifests.get("oci").digest()).isEqualTo(oci);
        assertThat(manifests.get("index")).isEqualTo(new Manifest(index, index(FakeEcr.OCI_INDEX), FakeEcr.OCI_INDEX));
        assertThat(fake.calls(FakeEcr.BATCH_GET_IMAGE)).singleElement().satisfies(call -> {
            assertThat(texts(call.request().get("acceptedMediaTypes"))).containsExactlyInAnyOrder(
                    FakeEcr.DOCKER_MANIFEST, FakeEcr.DOCKER_MANIFEST_LIST, FakeEcr.OCI_MANIFEST, FakeEcr.OCI_INDEX);
            assertThat(call.request().get("imageIds")).hasSize(5);
        });
    }

    @Test
    void noTagsAskNothing() {
        assertThat(registry.manifests(REPO, List.of())).isEmpty();
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void aMultiArchIndexIsRetaggedWithItsBytesAndMediaTypeUnchanged() {
        String amd64 = ecrFake.pushImage(REPO, platformManifest(FakeEcr.OCI_MANIFEST, "amd64"), null);
        String arm64 = ecrFake.pushImage(REPO, platformManifest(FakeEcr.OCI_MANIFEST, "arm64"), null);
        // Key order, tabs, CRLF and spaces around colons: re-serialising would change every one of them.
        String indexBody = "{\r\n\t\"manifests\" : [\n"
                + "    { \"platform\": {\"os\":\"linux\", \"architecture\" : \"amd64\"},\"size\":"
                + platformManifest(FakeEcr.OCI_MANIFEST, "amd64").length()
                + ", \"digest\": \"" + amd64 + "\",\"mediaType\":\"" + FakeEcr.OCI_MANIFEST + "\"},\n"
                + "    {\"mediaType\":\"" + FakeEcr.OCI_MANIFEST + "\",  \"digest\":\"" + arm64 + "\", \"size\" :"
                + platformManifest(FakeEcr.OCI_MANIFEST, "arm64").length()
                + ",\"platform\":{\"variant\":\"v8\",\"architecture\":\"arm64\",\"os\":\"linux\"}}\n"
                + "  ],\r\n\t\"mediaType\":   \"" + FakeEcr.OCI_INDEX + "\",\n"
                + "\t\"schemaVersion\":2 ,\"annotations\":{\"org.opencontainers.image.created\":\"2024-05-01T10:15:30Z\"}}\n";
        String original = ecrFake.pushImage(REPO, indexBody, FakeEcr.OCI_INDEX, "build-42");
        Manifest candidate = registry.manifests(REPO, List.of("build-42")).get("build-42");

        TagResult result = registry.tag(REPO, "release", candidate);

        assertThat(result).isEqualTo(TagResult.MOVED);
        assertThat(ecrFake.digestOf(REPO, "release")).hasValue(original);
        assertThat(ecrFake.manifestOf(REPO, original)).hasValue(indexBody);
        assertThat(ecrFake.mediaTypeOf(REPO, original)).hasValue(FakeEcr.OCI_INDEX);
        assertThat(ecrFake.tagsOf(REPO, original)).containsExactly("build-42", "release");
        assertThat(ecrFake.putImageCalls()).singleElement().satisfies(call -> {
            assertThat(call.request().get("imageManifest").asText()).isEqualTo(indexBody);
            assertThat(call.request().get("imageManifestMediaType").asText()).isEqualTo(FakeEcr.OCI_INDEX);
            assertThat(call.request().get("imageDigest").asText()).isEqualTo(original);
            assertThat(call.request().get("imageTag").asText()).isEqualTo("release");
        });
    }

    @Test
    void taggingTwiceIsMovedThenAlreadyThere() {
        Manifest manifest = pushed(REPO, "build-1");

        assertThat(registry.tag(REPO, "release", manifest)).isEqualTo(TagResult.MOVED);
        assertThat(registry.tag(REPO, "release", manifest)).isEqualTo(TagResult.ALREADY_THERE);
        assertThat(ecrFake.digestOf(REPO, "release")).hasValue(manifest.digest());
    }

    @Test
    void aManifestWhoseBytesDoNotMatchItsDigestIsRefused() {
        Manifest manifest = pushed(REPO, "build-1");
        Manifest altered = new Manifest(manifest.digest(), manifest.body().strip() + " ", manifest.mediaType());

        assertThatThrownBy(() -> registry.tag(REPO, "release", altered))
                .isInstanceOfSatisfying(ExternalFailure.class, e ->
                        assertThat(e.code()).isEqualTo("ImageDigestDoesNotMatchException"));
        assertThat(ecrFake.digestOf(REPO, "release")).isEmpty();
    }

    @Test
    void immutableRepositoryRefusesToMoveAnExistingTag() {
        Manifest first = pushed(LOCKED, "release");
        ecrFake.pushImage(LOCKED, platformManifest(FakeEcr.OCI_MANIFEST, "arm64"), null, "build-2");
        Manifest second = registry.manifests(LOCKED, List.of("build-2")).get("build-2");

        assertThat(registry.tagsAreImmutable(LOCKED)).isTrue();
        assertThat(registry.tagsAreImmutable(REPO)).isFalse();
        assertThatThrownBy(() -> registry.tag(LOCKED, "release", second))
                .isInstanceOfSatisfying(ExternalFailure.class, e -> {
                    assertThat(e.service()).isEqualTo("ECR");
                    assertThat(e.code()).isEqualTo("ImageTagAlreadyExistsException");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(ecrFake.digestOf(LOCKED, "release")).hasValue(first.digest());
    }

    @Test
    void repositoryUriIsWhereContainersPullFrom() {
        assertThat(registry.repositoryUri(REPO)).isEqualTo("123456789012.dkr.ecr.eu-west-1.amazonaws.com/api");
    }

    @Test
    void theRepositoryUriIsCachedForAFewMinutes() {
        registry.repositoryUri(REPO);
        clock.advance(EcrImageRegistry.REPOSITORY_CACHE_TTL.minusSeconds(1));
        registry.repositoryUri(REPO);
        assertThat(fake.calls(FakeEcr.DESCRIBE_REPOSITORIES)).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        registry.repositoryUri(REPO);
        assertThat(fake.calls(FakeEcr.DESCRIBE_REPOSITORIES)).hasSize(2);
    }

    @Test
    void tagMutabilityIsNeverAnsweredFromCache() {
        registry.repositoryUri(REPO);
        assertThat(registry.tagsAreImmutable(REPO)).isFalse();
        ecrFake.setTagsImmutable(REPO, true);

        assertThat(registry.tagsAreImmutable(REPO)).as("a safety check before the first write").isTrue();
    }

    @Test
    void describeGivesEveryTagAndThePushTime() {
        Manifest manifest = pushed(REPO, "build-1", "release");

        assertThat(registry.describe(REPO, manifest.digest()))
                .hasValue(new ImageDetails(manifest.digest(), List.of("build-1", "release"), PUSHED));
    }

    @Test
    void describeOfAnUnknownDigestIsEmpty() {
        assertThat(registry.describe(REPO, FakeEcr.digest("not pushed"))).isEmpty();
    }

    @Test
    void describeOfAnUntaggedImageHasNoTags() {
        String digest = ecrFake.pushImage(REPO, platformManifest(FakeEcr.OCI_MANIFEST, "amd64"), null);

        assertThat(registry.describe(REPO, digest)).hasValue(new ImageDetails(digest, List.of(), PUSHED));
    }

    @Test
    void unknownRepositoryIsAnExternalFailureEverywhere() {
        Manifest manifest = pushed(REPO, "build-1");

        for (Runnable call : List.<Runnable>of(
                () -> registry.manifests("nope", List.of("v1")),
                () -> registry.describe("nope", manifest.digest()),
                () -> registry.tagsAreImmutable("nope"),
                () -> registry.repositoryUri("nope"),
                () -> registry.tag("nope", "release", manifest))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ExternalFailure.class, e -> {
                assertThat(e.service()).isEqualTo("ECR");
                assertThat(e.code()).isEqualTo("RepositoryNotFoundException");
                assertThat(e.detail()).contains("'nope'");
            });
        }
    }

    @Test
    void imageFailuresOtherThanNotFoundAreExternalFailures() throws Exception {
        JsonNode kmsFailure = new ObjectMapper().readTree("""
                {"images":[],"failures":[{"imageId":{"imageTag":"v1"},"failureCode":"KmsError",
                 "failureReason":"KMS key is disabled"}]}""");
        fake.register(FakeEcr.TARGET_PREFIX, (operation, request) -> kmsFailure);

        assertThatThrownBy(() -> registry.manifests(REPO, List.of("v1")))
                .isInstanceOfSatisfying(ExternalFailure.class, e -> {
                    assertThat(e.code()).isEqualTo("KmsError");
                    assertThat(e.detail()).contains("KMS key is disabled", "api:v1");
                });
    }

    // ---- helpers ----

    private Manifest pushed(String repository, String... tags) {
        String body = platformManifest(FakeEcr.OCI_MANIFEST, "amd64");
        String digest = ecrFake.pushImage(repository, body, null, tags);
        return new Manifest(digest, body, FakeEcr.OCI_MANIFEST);
    }

    private static String platformManifest(String mediaType, String architecture) {
        String layerType = mediaType.equals(FakeEcr.OCI_MANIFEST)
                ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        String configType = mediaType.equals(FakeEcr.OCI_MANIFEST)
                ? "application/vnd.oci.image.config.v1+json" : "application/vnd.docker.container.image.v1+json";
        return """
                {
                  "schemaVersion": 2,
                  "mediaType": "%s",
                  "config": {"mediaType": "%s", "digest": "%s", "size": 1472},
                  "layers": [{"mediaType": "%s", "digest": "%s", "size": 29150000}]
                }
                """.formatted(mediaType, configType, FakeEcr.digest("config-" + architecture), layerType,
                FakeEcr.digest("layer-" + architecture));
    }

    private static String index(String mediaType) {
        String child = mediaType.equals(FakeEcr.OCI_INDEX) ? FakeEcr.OCI_MANIFEST : FakeEcr.DOCKER_MANIFEST;
        return """
                {"schemaVersion":2,"mediaType":"%s","manifests":[
                  {"mediaType":"%s","digest":"%s","size":512,"platform":{"architecture":"amd64","os":"linux"}},
                  {"mediaType":"%s","digest":"%s","size":512,"platform":{"architecture":"arm64","os":"linux"}}]}
                """.formatted(mediaType, child, FakeEcr.digest("amd64"), child, FakeEcr.digest("arm64"));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** A clock tests move forward by hand. */
    private static final class SteppingClock extends Clock {
        private volatile Instant now;

        SteppingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
