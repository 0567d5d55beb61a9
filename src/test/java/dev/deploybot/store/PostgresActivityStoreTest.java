package dev.deploybot.store;

class PostgresActivityStoreTest extends ActivityStoreContract {
    PostgresActivityStoreTest() {
        super(Engine.POSTGRES);
    }
}
