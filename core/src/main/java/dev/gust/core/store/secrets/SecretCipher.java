package dev.gust.core.store.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (connection passwords and extras) with AES-256-GCM under a key from
 * the configuration. Each value gets a fresh random 12-byte IV and is stored as
 * {@code version (1 byte) | IV (12 bytes) | ciphertext and 16-byte tag}. A context string
 * (for example "connection:my_db:password") is bound in as associated data, so a ciphertext
 * copied to another row or field fails to decrypt instead of leaking into the wrong place.
 * GCM's tag means a wrong key is detected and reported, never turned into garbage.
 */
public final class SecretCipher {

    private static final byte FORMAT_VERSION = 1;
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<SecretKeySpec> key;

    private SecretCipher(Supplier<SecretKeySpec> key) {
        this.key = key;
    }

    /**
     * A cipher for a 32-byte key given in base64.
     *
     * @throws IllegalArgumentException with a one-line explanation when the key is missing,
     *         not base64 or not 32 bytes long
     */
    public static SecretCipher fromBase64Key(String base64Key) {
        String advice = "; generate one with: head -c 32 /dev/urandom | base64";
        if (base64Key == null || base64Key.isBlank()) {
            throw new IllegalArgumentException("no secret encryption key is configured" + advice);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret encryption key is not valid base64" + advice);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(
                    "the secret encryption key must be " + KEY_BYTES + " bytes, got " + key.length + advice);
        }
        SecretKeySpec spec = new SecretKeySpec(key, "AES");
        return new SecretCipher(() -> spec);
    }

    /**
     * A cipher whose key {@code source} gives when a secret is first encrypted or decrypted, not
     * before: for a process whose work mostly touches no secrets (most CLI commands), so that it
     * runs without a key and only the work that needs one fails, with {@code source}'s message.
     * A failure is not remembered: the next use asks {@code source} again.
     */
    public static SecretCipher deferred(Supplier<SecretCipher> source) {
        AtomicReference<SecretKeySpec> resolved = new AtomicReference<>();
        return new SecretCipher(() -> {
            SecretKeySpec spec = resolved.get();
            if (spec == null) {
                resolved.compareAndSet(null, source.get().key.get());
                spec = resolved.get();
            }
            return spec;
        });
    }

    /** A new random key, base64-encoded, for a first start that has none configured. */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Encrypts {@code plaintext} (null stays null) bound to {@code context}. */
    public byte[] encrypt(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length)
                    .put(FORMAT_VERSION)
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts what {@link #encrypt} produced for the same {@code context} (null stays null).
     *
     * @throws SecretDecryptionException when the key is not the one the value was encrypted
     *         with, or the value was altered or moved
     */
    public String decrypt(byte[] stored, String context) {
        if (stored == null) {
            return null;
        }
        if (stored.length < 1 + IV_BYTES + TAG_BITS / 8 || stored[0] != FORMAT_VERSION) {
            throw new SecretDecryptionException(
                    "cannot decrypt the secret " + context + ": it is not in Gust's encrypted format", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, stored, 1, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(stored, 1 + IV_BYTES, stored.length - 1 - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException(
                    "cannot decrypt the secret " + context
                            + ": the encryption key is not the one it was stored with"
                            + " (was the key changed?) or the stored value was altered",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM: " + e.getMessage(), e);
        }
    }
}
