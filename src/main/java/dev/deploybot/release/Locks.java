package dev.deploybot.release;

/** How a lock is explained to someone it stops. */
final class Locks {
    private Locks() {
    }

    static String describe(EnvironmentLocks.Lock lock) {
        return lock.environment() + " is locked" + (lock.holder() == null ? "" : " by <@" + lock.holder() + ">")
                + " since " + lock.at() + ": " + lock.reason() + ". An approver can lift it with `/deploy unlock " + lock.environment() + "`.";
    }
}
