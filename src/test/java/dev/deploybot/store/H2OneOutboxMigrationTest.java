package dev.deploybot.store;

class H2OneOutboxMigrationTest extends OneOutboxMigrationContract {
    H2OneOutboxMigrationTest() {
        super(Engine.H2);
    }
}
