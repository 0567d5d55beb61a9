package dev.deploybot.store;

class PostgresOneOutboxMigrationTest extends OneOutboxMigrationContract {
    PostgresOneOutboxMigrationTest() {
        super(Engine.POSTGRES);
    }
}
