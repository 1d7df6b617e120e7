package dev.gust.cli.context;

import dev.gust.cli.common.UserError;
import dev.gust.core.config.GustConfig;
import dev.gust.core.store.secrets.EncryptionKeySource;
import dev.gust.core.store.secrets.SecretCipher;

/**
 * The cipher of the commands that read or write secrets (connections, sensitive Variables), with
 * a missing or unreadable key turned into a one-line error that says which setting to give.
 */
public final class CommandCipher {

    private CommandCipher() {}

    public static SecretCipher of(GustConfig config) {
        try {
            return EncryptionKeySource.cipher(config);
        } catch (IllegalArgumentException e) {
            throw new UserError(
                    e.getMessage() + " and set it as security.encryption_key (GUST_SECURITY__ENCRYPTION_KEY)");
        } catch (java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
    }
}
