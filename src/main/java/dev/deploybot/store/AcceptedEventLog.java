package dev.deploybot.store;

import dev.deploybot.activity.EventInbox;
import dev.deploybot.activity.EventInbox.ReceivedEvent;

import javax.sql.DataSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Events accepted over HTTP whose handling the embedded H2 has committed in memory but may not have written to its file
 * yet. A group's events are appended here, in one write, before their senders are answered; the next start takes back
 * into {@code aws_events}, unhandled and with their bodies, the ones H2 never wrote (they are then handled like any
 * event kept with its body). A file is deleted once a {@code CHECKPOINT} begun after its last append has returned.
 *
 * <p>Why: H2 writes whole B-tree pages with each store, the leaf and the inner pages every new key touched, the last
 * page of each table, and its map of chunks: about 130 KB for a group of six events. Answering after a store per group
 * made that the door's limit; an append writes each body once, and H2's stores then come twice a second. The records
 * are as durable as H2's own writes: handed to the operating system, not forced to the disk.
 *
 * <p>A record is its length, a CRC-32 of it and then its fields; reading a file stops at the first record that is cut
 * short or does not match its CRC (a write the process did not finish, whose senders were never answered).
 */
final class AcceptedEventLog {
    private static final String SUFFIX = ".log";
    /** Where the database's files are. */
    private final Path directory;
    /** The database's name and ".accepted-": a file's name goes on with its sequence number and {@link #SUFFIX}. */
    private final String prefix;
    private FileChannel current;
    private long sequence;
    /** Whether a file may exist that no {@link #delete} has removed yet (none does when the log is made: see start-up). */
    private boolean undeleted;

    private AcceptedEventLog(Path database) {
        this.directory = database.toAbsolutePath().getParent();
        this.prefix = database.getFileName() + ".accepted-";
    }

    /** The log beside an H2 database kept in a file; none for PostgreSQL (its commits are durable) or an in-memory H2. */
    static Optional<AcceptedEventLog> beside(String jdbcUrl) {
        String file = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(file)) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring(file.length());
        int settings = path.indexOf(';');
        path = settings < 0 ? path : path.substring(0, settings);
        // As H2 reads it: "~" is the home directory.
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(new AcceptedEventLog(Path.of(path)));
    }

    /** Appends the events in one write; returns once the operating system has them. */
    synchronized void append(List<ReceivedEvent> events) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(events.size() * 2048);
        DataOutputStream out = new DataOutputStream(bytes);
        for (ReceivedEvent event : events) {
            byte[] record = record(event);
            CRC32 crc = new CRC32();
            crc.update(record);
            out.writeInt(record.length);
            out.writeInt((int) crc.getValue());
            out.write(record);
        }
        if (current == null) {
            sequence = Math.max(sequence, lastSequence() + 1);
            current = FileChannel.open(file(sequence), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        try {
            while (buffer.hasRemaining()) {
                current.write(buffer);
            }
        } catch (IOException e) {
            // Part of the group may be in the file: reading stops there, so later groups go to a file of their own.
            startAnotherFile();
            throw e;
        }
    }

    private void startAnotherFile() {
        try {
            current.close();
        } catch (IOException alreadyFailing) {
            // The file is dropped either way; what it holds up to the failed write is still read.
        }
        current = null;
        sequence++;
        undeleted = true;
    }

    /**
     * Closes the file being appended to (the next append starts another) and answers every file written so far:
     * once a CHECKPOINT begun after this returns, H2 has what they hold and they can be {@link #delete}d.
     */
    synchronized List<Path> seal() throws IOException {
        if (current != null) {
            startAnotherFile();
        }
        // An idle bot's rounds look at nothing: there is no file unless one was written since the last delete.
        return undeleted ? files() : List.of();
    }

    synchronized void delete(List<Path> files) throws IOException {
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        undeleted = current != null;
    }

    /**
     * Takes back the events of files a process left (it stopped before H2 wrote them, or before it could delete the
     * files) into {@code aws_events}, unhandled with their bodies unless known already, and deletes the files once the
     * database has written them. Answers how many were taken back.
     */
    int takeBackInto(DataSource store) throws IOException {
        List<Path> files = files();
        if (files.isEmpty()) {
            return 0;
        }
        List<ReceivedEvent> events = new ArrayList<>();
        for (Path file : files) {
            events.addAll(read(file));
        }
        JdbcEventInbox inbox = new JdbcEventInbox(store);
        int takenBack = new Sql(store).together(() -> (int) events.stream()
                .filter(event -> inbox.admit(event) == EventInbox.Admission.NEW).count());
        delete(files);
        return takenBack;
    }

    /** The files in the order they were written. */
    List<Path> files() throws IOException {
        try (Stream<Path> all = Files.list(directory)) {
            return all.filter(path -> sequenceOf(path) >= 0).sorted(Comparator.comparingLong(this::sequenceOf)).toList();
        }
    }

    /** The events a file holds, up to the first record cut short or damaged. */
    static List<ReceivedEvent> read(Path file) throws IOException {
        List<ReceivedEvent> events = new ArrayList<>();
        long size = Files.size(file);
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file)); DataInputStream in = new DataInputStream(stream)) {
            while (true) {
                byte[] record;
                int crc;
                try {
                    int length = in.readInt();
                    crc = in.readInt();
                    if (length < 0 || length > size) {
                        return events;
                    }
                    record = in.readNBytes(length);
                    if (record.length < length) {
                        return events;
                    }
                } catch (EOFException end) {
                    return events;
                }
                CRC32 check = new CRC32();
                check.update(record);
                if ((int) check.getValue() != crc) {
                    return events;
                }
                events.add(event(record));
            }
        }
    }

    private static byte[] record(ReceivedEvent event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(event.body().length() + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        text(out, event.id());
        text(out, event.detailType());
        out.writeLong(event.receivedAt().toEpochMilli());
        text(out, event.body());
        return bytes.toByteArray();
    }

    private static ReceivedEvent event(byte[] record) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(record));
        String id = text(in);
        String detailType = text(in);
        Instant receivedAt = Instant.ofEpochMilli(in.readLong());
        return new ReceivedEvent(id, detailType, text(in), receivedAt);
    }

    private static void text(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String text(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return directory.resolve(prefix + "*" + SUFFIX).toString();
    }

    private Path file(long number) {
        return directory.resolve(prefix + number + SUFFIX);
    }

    private long lastSequence() throws IOException {
        List<Path> files = files();
        return files.isEmpty() ? -1 : sequenceOf(files.get(files.size() - 1));
    }

    /** The file's sequence number, or -1 when it is not one of this log's files. */
    private long sequenceOf(Path path) {
        String name = path.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(prefix.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
