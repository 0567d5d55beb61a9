package dev.deploybot.release;

class InMemoryReleaseJournalTest extends ReleaseJournalContract {
    @Override
    protected ReleaseJournal newJournal() {
        return new InMemoryReleaseJournal();
    }
}
