package dev.deploybot.store;

class H2StoreTest extends StoreContract {
    H2StoreTest() {
        super(Engine.H2);
    }
}
