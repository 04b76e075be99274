package com.castiel.sync.standalone.store;

import com.castiel.sync.standalone.store.sqlite.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data directory, held exclusively by one process through an OS file lock on
 * {@value #LOCK_FILE} (released by the OS when the process dies, even on {@code kill -9}). The
 * directory and the database file are created owner-only where the file system has POSIX
 * permissions: they hold customer records.
 */
final class DataDirectory implements AutoCloseable {

    static final String DATABASE_FILE = "sync.db";
    static final String LOCK_FILE = "sync.lock";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws StorageException when it cannot be created or another process holds it
     */
    static DataDirectory open(Path path) {
        Path dir = path.toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                if (posix(dir.getParent())) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
            FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new StorageException("the data directory " + dir + " is in use by another engine process (it holds "
                        + LOCK_FILE + "); stop that process or choose another data directory");
            }
            Path db = dir.resolve(DATABASE_FILE);
            if (!Files.exists(db) && posix(dir)) {
                try {
                    // SQLite gives its -wal and -shm files the database file's permissions.
                    Files.createFile(db, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (FileAlreadyExistsException ignored) {
                    // created meanwhile: fine
                }
            }
            return new DataDirectory(dir, channel, lock);
        } catch (IOException e) {
            throw new StorageException("cannot use the data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix(Path p) {
        return p != null && Files.exists(p) && Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }

    Path path() {
        return path;
    }

    Path databaseFile() {
        return path.resolve(DATABASE_FILE);
    }

    @Override
    public void close() {
        if (!lockChannel.isOpen()) {
            return;
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new StorageException("cannot release the lock on " + path + ": " + e.getMessage(), e);
        }
    }
}
