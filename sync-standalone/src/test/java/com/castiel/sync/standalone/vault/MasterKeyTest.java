package com.castiel.sync.standalone.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

    private static final String KEY = Base64.getEncoder().encodeToString(bytes(32, 7));

    @TempDir
    Path dir;

    @Test
    void theKeyFromTheEnvironmentIsUsedAndNoKeyFileIsCreated() {
        MasterKey key = MasterKey.load(dir, Map.of(MasterKey.ENVIRONMENT_VARIABLE, KEY)::get);

        assertThat(key.source()).contains("SYNC_MASTER_KEY");
        assertThat(dir.resolve(MasterKey.KEY_FILE)).doesNotExist();
        assertThat(key.secretKey().getEncoded()).isEqualTo(bytes(32, 7));
    }

    @Test
    void aMalformedEnvironmentKeyIsRefusedWithoutEchoingIt() {
        String bad = "S3CRET-not*base64";

        assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENVIRONMENT_VARIABLE, bad)::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SYNC_MASTER_KEY")
                .hasMessageContaining("base64")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("S3CRET").doesNotContain("*"));
    }

    @Test
    void anEnvironmentKeyOfTheWrongLengthIsRefused() {
        String short16 = Base64.getEncoder().encodeToString(bytes(16, 1));

        assertThatThrownBy(() -> MasterKey.load(dir, Map.of(MasterKey.ENVIRONMENT_VARIABLE, short16)::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("32");
    }

    @Test
    void withoutTheVariableAKeyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
        MasterKey.load(dir, name -> null);

        Path file = dir.resolve(MasterKey.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip())).hasSize(32);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(MasterKey.KEY_FILE);
        }
    }

    @Test
    void theKeyFileIsReusedOnTheNextLoad() {
        MasterKey first = MasterKey.load(dir, name -> null);
        MasterKey second = MasterKey.load(dir, name -> null);

        assertThat(second.secretKey().getEncoded()).isEqualTo(first.secretKey().getEncoded());
    }

    @Test
    void twoNewKeyFilesHoldDifferentKeys() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        MasterKey one = MasterKey.load(dir.resolve("a"), name -> null);
        MasterKey two = MasterKey.load(dir.resolve("b"), name -> null);

        assertThat(one.secretKey().getEncoded()).isNotEqualTo(two.secretKey().getEncoded());
    }

    @Test
    void aKeyFileOthersCanReadIsRefused() throws Exception {
        MasterKey.load(dir, name -> null);
        Path file = dir.resolve(MasterKey.KEY_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.load(dir, name -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void aCorruptKeyFileIsRefusedWithItsPath() throws Exception {
        Path file = dir.resolve(MasterKey.KEY_FILE);
        Files.writeString(file, "too short");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> MasterKey.load(dir, name -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void toStringNamesTheSourceButNeverTheKey() {
        MasterKey key = MasterKey.load(dir, Map.of(MasterKey.ENVIRONMENT_VARIABLE, KEY)::get);

        assertThat(key.toString()).contains("SYNC_MASTER_KEY").doesNotContain(KEY);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
