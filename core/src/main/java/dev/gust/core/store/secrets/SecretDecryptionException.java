package dev.gust.core.store.secrets;

/**
 * A stored secret could not be decrypted: almost always because the encryption key differs
 * from the one the secret was written with. The message says so in one line.
 */
public class SecretDecryptionException extends RuntimeException {
    SecretDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
