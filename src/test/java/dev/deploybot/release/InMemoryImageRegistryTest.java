package dev.deploybot.release;

class InMemoryImageRegistryTest extends ImageRegistryContract {
    private final InMemoryImageRegistry registry = new InMemoryImageRegistry();

    @Override
    protected ImageRegistry registry() {
        return registry;
    }

    @Override
    protected void createRepository(String name, boolean immutable) {
        registry.createRepository(name, immutable);
    }

    @Override
    protected String push(String repository, String body, String... tags) {
        return registry.push(repository, body, DOCKER, tags);
    }
}
