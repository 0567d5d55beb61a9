package dev.deploybot.release;

import dev.deploybot.core.ExternalFailure;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the release use cases rely on from a registry, run against the ECR adapter on the fake ECR and against
 * {@link InMemoryImageRegistry}, so unit tests on the fake say something about production.
 */
public abstract class ImageRegistryContract {
    protected static final String DOCKER = "application/vnd.docker.distribution.manifest.v2+json";
    protected static final String REPO = "app";
    protected static final String LOCKED = "app-locked";

    protected abstract ImageRegistry registry();

    protected abstract void createRepository(String name, boolean immutable);

    /** Pushes an image as a build would; answers its digest. */
    protected abstract String push(String repository, String body, String... tags);

    protected static String manifest(String seed) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"size\":7023,\"digest\":\"sha256:"
                + seed.repeat(64).substring(0, 64) + "\"},\"layers\":[]}";
    }

    @Test
    void manifestsAnswerTheTagsThatExistWithTheirBytesUnchanged() {
        createRepository(REPO, false);
        String digest = push(REPO, manifest("a"), "latest", "release");

        assertThat(registry().manifests(REPO, List.of("latest", "release", "missing")))
                .containsOnlyKeys("latest", "release")
                .containsEntry("latest", new Manifest(digest, manifest("a"), DOCKER));
    }

    @Test
    void aSnapshotTellsWhetherThePinnedImageIsStillThere() {
        createRepository(REPO, false);
        String pinned = push(REPO, manifest("b"), "latest");

        assertThat(registry().snapshot(REPO, pinned, List.of("latest", "release")))
                .satisfies(snapshot -> assertThat(snapshot.pinned()).map(Manifest::digest).contains(pinned))
                .satisfies(snapshot -> assertThat(snapshot.tags()).containsOnlyKeys("latest"));
        String gone = "sha256:" + "0".repeat(64);
        assertThat(registry().snapshot(REPO, gone, List.of("latest")).pinned()).isEmpty();
        assertThat(registry().describe(REPO, gone)).isEmpty();
    }

    @Test
    void taggingMovesATagOnceAndSaysSoWhenItWasAlreadyThere() {
        createRepository(REPO, false);
        String old = push(REPO, manifest("c"), "release");
        String candidate = push(REPO, manifest("d"), "latest");
        Manifest pinned = registry().manifests(REPO, List.of("latest")).get("latest");

        assertThat(registry().tag(REPO, "release", pinned)).isEqualTo(ImageRegistry.TagResult.MOVED);
        assertThat(registry().tag(REPO, "release", pinned)).isEqualTo(ImageRegistry.TagResult.ALREADY_THERE);
        assertThat(registry().manifests(REPO, List.of("release")).get("release").digest()).isEqualTo(candidate);
        assertThat(registry().describe(REPO, candidate)).map(ImageDetails::tags).hasValueSatisfying(tags ->
                assertThat(tags).contains("latest", "release"));
        assertThat(registry().describe(REPO, old)).map(ImageDetails::tags).hasValueSatisfying(tags ->
                assertThat(tags).doesNotContain("release"));
    }

    @Test
    void anImmutableRepositorySaysSoAndRefusesToMoveATag() {
        createRepository(LOCKED, true);
        push(LOCKED, manifest("e"), "release");
        String candidate = push(LOCKED, manifest("f"), "latest");

        assertThat(registry().tagsAreImmutable(LOCKED)).isTrue();
        assertThat(registry().refusesToMove(LOCKED, "release")).contains(new Refusal.TagsImmutable(LOCKED, "release"));
        Manifest pinned = registry().manifests(LOCKED, List.of("latest")).get("latest");
        assertThat(pinned.digest()).isEqualTo(candidate);
        assertThatThrownBy(() -> registry().tag(LOCKED, "release", pinned)).isInstanceOf(ExternalFailure.class)
                .satisfies(e -> assertThat(((ExternalFailure) e).code()).isEqualTo("ImageTagAlreadyExistsException"));
    }

    @Test
    void theRepositoryUriEndsWithItsName() {
        createRepository(REPO, false);
        assertThat(registry().repositoryUri(REPO)).endsWith("/" + REPO).doesNotContain("@");
        assertThat(registry().tagsAreImmutable(REPO)).isFalse();
    }
}
