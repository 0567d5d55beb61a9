package dev.deploybot.store;

class H2ActivityStoreTest extends ActivityStoreContract {
    H2ActivityStoreTest() {
        super(Engine.H2);
    }
}
