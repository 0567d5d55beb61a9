package dev.deploybot.store;

import dev.deploybot.testing.EmbeddedPostgresSupport;

class PostgresStoreTest extends StoreContract {
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
