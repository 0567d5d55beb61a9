package dev.deploybot.release;

import dev.deploybot.core.ExternalFailure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry in memory for millisecond tests of the use cases that promote images. It passes the same
 * {@link ImageRegistryContract} as {@code aws.EcrImageRegistry} on the fake ECR, so what a use case relies on
 * holds for both; it counts writes so a test can see what a promotion changed.
 */
public final class InMemoryImageRegistry implements ImageRegistry {
    private final Map<String, Repository> repositories = new HashMap<>();
    private final List<String> writes = new ArrayList<>();

    private record Repository(boolean immutable, Map<String, Manifest> images, Map<String, String> tags) {
    }

    public synchronized void createRepository(String name, boolean immutable) {
        repositories.put(name, new Repository(immutable, new LinkedHashMap<>(), new HashMap<>()));
    }

    /** Pushes an image (as a build would) and answers its digest, the sha256 of the manifest's bytes. */
    public synchronized String push(String repository, String body, String mediaType, String... tags) {
        Repository repo = repository(repository);
        String digest = digestOf(body);
        repo.images().put(digest, new Manifest(digest, body, mediaType));
        for (String tag : tags) {
            repo.tags().put(tag, digest);
        }
        return digest;
    }

    /** The image goes away (lifecycle policy, or a person), with every tag on it. */
    public synchronized void delete(String repository, String digest) {
        Repository repo = repository(repository);
        repo.images().remove(digest);
        repo.tags().values().removeIf(digest::equals);
    }

    public synchronized Optional<String> digestOf(String repository, String tag) {
        return Optional.ofNullable(repository(repository).tags().get(tag));
    }

    /** Every tag written, as {@code repository:tag}, in order. */
    public synchronized List<String> writes() {
        return List.copyOf(writes);
    }

    @Override
    public synchronized Map<String, Manifest> manifests(String repository, List<String> tags) {
        Repository repo = repository(repository);
        Map<String, Manifest> found = new HashMap<>();
        for (String tag : tags) {
            String digest = repo.tags().get(tag);
            if (digest != null) {
                found.put(tag, repo.images().get(digest));
            }
        }
        return found;
    }

    @Override
    public synchronized Snapshot snapshot(String repository, String pinnedDigest, List<String> tags) {
        return new Snapshot(Optional.ofNullable(repository(repository).images().get(pinnedDigest)), manifests(repository, tags));
    }

    @Override
    public synchronized Optional<ImageDetails> describe(String repository, String digest) {
        Repository repo = repository(repository);
        if (!repo.images().containsKey(digest)) {
            return Optional.empty();
        }
        List<String> tags = repo.tags().entrySet().stream().filter(e -> e.getValue().equals(digest)).map(Map.Entry::getKey)
                .sorted().toList();
        return Optional.of(new ImageDetails(digest, tags, Instant.EPOCH));
    }

    @Override
    public synchronized boolean tagsAreImmutable(String repository) {
        return repository(repository).immutable();
    }

    @Override
    public String repositoryUri(String repository) {
        return "123456789012.dkr.ecr.eu-west-1.amazonaws.com/" + repository;
    }

    @Override
    public synchronized TagResult tag(String repository, String tag, Manifest manifest) {
        Repository repo = repository(repository);
        if (!digestOf(manifest.body()).equals(manifest.digest())) {
            throw new ExternalFailure("ECR", "ImageDigestDoesNotMatchException", "the manifest's bytes changed", false, null);
        }
        String current = repo.tags().get(tag);
        if (manifest.digest().equals(current)) {
            return TagResult.ALREADY_THERE;
        }
        if (current != null && repo.immutable()) {
            throw new ExternalFailure("ECR", "ImageTagAlreadyExistsException", tag + " is immutable", false, null);
        }
        repo.images().putIfAbsent(manifest.digest(), manifest);
        repo.tags().put(tag, manifest.digest());
        writes.add(repository + ":" + tag);
        return TagResult.MOVED;
    }

    private Repository repository(String name) {
        Repository repo = repositories.get(name);
        if (repo == null) {
            throw new ExternalFailure("ECR", "RepositoryNotFoundException", "no repository " + name, false, null);
        }
        return repo;
    }

    private static String digestOf(String body) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
