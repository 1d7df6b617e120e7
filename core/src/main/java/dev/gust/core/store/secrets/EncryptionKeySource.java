package dev.gust.core.store.secrets;

import dev.gust.core.config.GustConfig;
import dev.gust.core.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where the key that encrypts connection secrets comes from: {@code security.encryption_key}
 * (in ECS, from Secrets Manager through the environment). On a laptop with the embedded database,
 * when none is set, a key is generated once into {@code <core.home>/encryption.key} (mode 600)
 * beside the data it protects, so that {@code gust standalone} needs no setup. A configured
 * server never gets a generated key: losing that file would make its secrets unreadable.
 */
public final class EncryptionKeySource {

    static final String KEY_FILE = "encryption.key";

    private EncryptionKeySource() {}

    public static SecretCipher cipher(GustConfig config) {
        String configured = config.security().encryptionKey();
        if (!configured.isBlank() || !config.database().embedded()) {
            return SecretCipher.fromBase64Key(configured);
        }
        return SecretCipher.fromBase64Key(generatedKey(config.core().home()));
    }

    /**
     * The key in use as text, without generating one: the configured key, else the generated
     * file's content when it exists; for the task log masker.
     */
    public static Optional<String> currentKey(GustConfig config) {
        String configured = config.security().encryptionKey();
        if (!configured.isBlank()) {
            return Optional.of(configured.trim());
        }
        Path file = config.core().home().resolve(KEY_FILE);
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String generatedKey(Path home) {
        Path file = home.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                PrivateFiles.directory(home);
                Path temporary = Files.createTempFile(
                        home,
                        KEY_FILE,
                        ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, SecretCipher.generateKey());
                try {
                    // Atomic, and never over a key another process wrote first.
                    Files.createLink(file, temporary);
                } catch (FileAlreadyExistsException raced) {
                    // the other process's key wins
                } finally {
                    Files.delete(temporary);
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read or create the encryption key " + file + ": " + e.getMessage()
                            + "; set security.encryption_key (GUST_SECURITY__ENCRYPTION_KEY) instead",
                    e);
        }
    }
}
