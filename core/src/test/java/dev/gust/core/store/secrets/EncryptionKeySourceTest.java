package dev.gust.core.store.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.config.GustConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionKeySourceTest {

    @TempDir
    Path home;

    @Test
    void embeddedDatabaseGetsAKeyGeneratedOnceAndKept() throws Exception {
        GustConfig config = GustConfig.load(null, Map.of("GUST_CORE__HOME", home.toString()));
        byte[] sealed = EncryptionKeySource.cipher(config).encrypt("s3cret", "connection:x:password");
        assertThat(EncryptionKeySource.cipher(config).decrypt(sealed, "connection:x:password"))
                .isEqualTo("s3cret");
        Path key = home.resolve(EncryptionKeySource.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        try (var files = Files.list(home)) {
            assertThat(files).containsExactly(key);
        }
    }

    @Test
    void configuredKeyWins() {
        String configured = SecretCipher.generateKey();
        GustConfig config = GustConfig.load(
                null, Map.of("GUST_CORE__HOME", home.toString(), "GUST_SECURITY__ENCRYPTION_KEY", configured));
        byte[] sealed = EncryptionKeySource.cipher(config).encrypt("v", "c");
        assertThat(SecretCipher.fromBase64Key(configured).decrypt(sealed, "c")).isEqualTo("v");
        assertThat(home.resolve(EncryptionKeySource.KEY_FILE)).doesNotExist();
    }

    @Test
    void aConfiguredServerWithoutKeyIsAClearError() {
        GustConfig config = GustConfig.load(
                null,
                Map.of("GUST_CORE__HOME", home.toString(), "GUST_DATABASE__URL", "jdbc:postgresql://db:5432/gust"));
        assertThatThrownBy(() -> EncryptionKeySource.cipher(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no secret encryption key is configured");
        assertThat(home.resolve(EncryptionKeySource.KEY_FILE)).doesNotExist();
    }
}
