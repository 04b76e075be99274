package com.castiel.sync.standalone.server;

import com.castiel.sync.model.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Set;

/**
 * The admin API's bearer token: 32 random bytes made on first start and kept in the data
 * directory ({@value #FILE_NAME}, readable by the owner only). Comparison is constant-time.
 * {@link #toString()} never shows the value, so the token cannot reach a log by accident.
 *
 * <p>Immutable and thread-safe.
 */
public final class AdminToken {

    /** The token file inside the data directory. */
    public static final String FILE_NAME = "admin-token";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] value;

    private AdminToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** A token with a given value (tests). */
    public static AdminToken of(String value) {
        if (Objects.requireNonNull(value, "value").length() < 16) {
            throw new IllegalArgumentException("an admin token needs at least 16 characters");
        }
        return new AdminToken(value);
    }

    /**
     * Reads the data directory's token, creating it (owner-only permissions) when absent. If the
     * file exists with wider permissions they are narrowed to the owner.
     *
     * @throws UncheckedIOException when the file cannot be read or written
     */
    public static AdminToken loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                try {
                    create(file, Ids.secureToken(32));
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            restrict(file);
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (text.length() < 16) {
                throw new IllegalStateException(file + " does not hold an admin token; delete it to have a new one made");
            }
            return new AdminToken(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
        }
    }

    private static void create(Path file, String token) throws IOException {
        if (supportsPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static void restrict(Path file) throws IOException {
        if (supportsPosix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean supportsPosix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Whether an {@code Authorization} header value carries this token ({@code Bearer <token>}). */
    public boolean acceptsAuthorization(String header) {
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return matches(header.substring(7).trim());
    }

    /** Constant-time comparison with a presented token. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The value, for the operator's own tools (the dashboard login, the CLI); never log it. */
    public String reveal() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "AdminToken[***]";
    }
}
