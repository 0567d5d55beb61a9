package dev.deploybot.deploy;

import dev.deploybot.core.ImageRef;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Every image a release puts into service together, one per container, so a sidecar built from its own repository
 * moves with the app instead of staying behind. The first is the environment's default image: the one people name
 * the release by, and the one a delegated build gets as {@code IMAGE_URI}.
 *
 * @param images at least one; no container named twice
 */
public record ContainerImages(List<Image> images) {
    public ContainerImages {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a release puts at least one image into service");
        }
        Set<String> containers = new HashSet<>();
        for (Image image : images) {
            if (image.container().isPresent() && !containers.add(image.container().get())) {
                throw new IllegalArgumentException("container " + image.container().get() + " is named twice");
            }
        }
        if (images.size() > 1 && containers.size() != images.size()) {
            throw new IllegalArgumentException("with several images each must name its container");
        }
    }

    /** One image for the deploy settings' container (or the task definition's only one). */
    public static ContainerImages single(ImageRef image, String uri) {
        return new ContainerImages(List.of(new Image(Optional.empty(), image, uri)));
    }

    public Image primary() {
        return images.get(0);
    }

    /**
     * One container's image.
     *
     * @param container the container in the task definition; empty: the deploy settings' container, or the only one
     * @param uri       the pullable reference {@code repositoryUri@sha256:…}
     */
    public record Image(Optional<String> container, ImageRef image, String uri) {
        public Image {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(uri, "uri");
            if (!uri.endsWith("@" + image.digest())) {
                throw new IllegalArgumentException("the URI must pin the digest: " + uri);
            }
        }
    }
}
