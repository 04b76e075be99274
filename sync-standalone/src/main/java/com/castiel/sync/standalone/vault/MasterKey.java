package com.castiel.sync.standalone.vault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AES-256 key that encrypts the credential vault.
 *
 * <p>Where it comes from, in order:
 * <ol>
 *   <li>the environment variable {@value #ENVIRONMENT_VARIABLE}: the standard base64 encoding of
 *       32 random bytes (e.g. {@code openssl rand -base64 32}); for deployments that keep the key
 *       in a secret manager, away from the data;</li>
 *   <li>otherwise the file {@value #KEY_FILE} in the data directory, created on first use with
 *       32 bytes from {@link SecureRandom} and owner-only permissions ({@code rw-------}). An
 *       existing file that other users may read or write is refused.</li>
 * </ol>
 *
 * <p>Losing the key loses every stored credential (integrations then need to be authorised
 * again); back it up with the data directory, or better, separately. The key never appears in
 * logs, exception messages or {@link #toString()}. Immutable and thread-safe.
 */
public final class MasterKey {

    /** Environment variable that holds the key, base64. */
    public static final String ENVIRONMENT_VARIABLE = "SYNC_MASTER_KEY";
    /** Key file name inside the data directory. */
    public static final String KEY_FILE = "master.key";

    private static final Logger LOG = LoggerFactory.getLogger(MasterKey.class);
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final SecretKey key;
    private final String source;

    private MasterKey(byte[] keyBytes, String source) {
        this.key = new SecretKeySpec(keyBytes, "AES");
        this.source = source;
        Arrays.fill(keyBytes, (byte) 0);
    }

    /**
     * Loads the key for the data directory {@code dataDirectory} from the environment or the key
     * file, creating the file when neither exists.
     *
     * @param environment looks up an environment variable ({@code System::getenv} in production)
     * @throws IllegalStateException when the variable or the file is malformed, or the file's
     *     permissions are too broad; the message says how to fix it and never shows the key
     * @throws java.io.UncheckedIOException when the key file cannot be read or created
     */
    public static MasterKey load(Path dataDirectory, UnaryOperator<String> environment) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(environment, "environment");
        String fromEnvironment = environment.apply(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            MasterKey k = new MasterKey(decode(fromEnvironment, "the environment variable " + ENVIRONMENT_VARIABLE), "environment variable " + ENVIRONMENT_VARIABLE);
            LOG.info("Credential vault key taken from the environment variable {}", ENVIRONMENT_VARIABLE);
            return k;
        }
        Path file = dataDirectory.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return readFile(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read or create the vault key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static MasterKey readFile(Path file) throws IOException {
        if (supportsPosix(file)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                throw new IllegalStateException("the vault key file " + file + " has permissions " + PosixFilePermissions.toString(perms)
                        + ", so other users may read or replace the key; restrict it to its owner (chmod 600 " + file + ") and start again");
            }
        }
        byte[] text = Files.readAllBytes(file);
        try {
            return new MasterKey(decode(new String(text, StandardCharsets.US_ASCII), "the key file " + file), "key file " + file);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Writes a new key to a temporary owner-only file, flushes it, and renames it into place, so a
     * crash never leaves a partial key file behind.
     */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(KEY_FILE + ".tmp-" + Long.toHexString(RANDOM.nextLong()));
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        byte[] text = Base64.getEncoder().encode(raw);
        Arrays.fill(raw, (byte) 0);
        try {
            if (supportsPosix(dir)) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(tmp);
                LOG.warn("The file system of {} has no POSIX permissions: restrict {} to the account running the engine", dir, file);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text));
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            LOG.info("Created a new credential vault key in {}; back it up: without it stored credentials cannot be read", file);
        } finally {
            Arrays.fill(text, (byte) 0);
            Files.deleteIfExists(tmp);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory; the rename is then as durable as the OS makes it.
            LOG.debug("cannot flush directory {}", dir, e);
        }
    }

    private static boolean supportsPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    /** Decodes a base64 key; the message never echoes the input (not even one character of it). */
    private static byte[] decode(String text, String where) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " is not valid base64; it must be the base64 encoding of " + KEY_BYTES
                    + " random bytes (e.g. the output of 'openssl rand -base64 32')");
        }
        if (bytes.length != KEY_BYTES) {
            int length = bytes.length;
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalStateException(where + " decodes to " + length + " bytes; an AES-256 key needs exactly " + KEY_BYTES);
        }
        return bytes;
    }

    /** The key, for the vault's cipher. */
    SecretKey secretKey() {
        return key;
    }

    /** Where the key came from (the variable's name or the file's path; never the key). */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "MasterKey[from " + source + "]";
    }
}
