package dev.deploybot.store;

class PostgresStoreTest extends StoreContract {
    PostgresStoreTest() {
        super(Engine.POSTGRES);
    }
}
