package dev.deploybot.store;

import dev.deploybot.testing.EmbeddedPostgresSupport;

class PostgresActivityStoreTest extends ActivityStoreContract {
    private final String url = EmbeddedPostgresSupport.newDatabase();

    @Override
    String jdbcUrl() {
        return url;
    }

    @Override
    String user() {
        return EmbeddedPostgresSupport.user();
    }
}
