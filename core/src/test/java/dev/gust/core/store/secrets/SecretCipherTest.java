package dev.gust.core.store.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private final SecretCipher cipher = SecretCipher.fromBase64Key(SecretCipher.generateKey());

    @Test
    void roundTripsAndUsesAFreshIvEachTime() {
        byte[] once = cipher.encrypt("hunter2 ✓", "connection:db:password");
        byte[] twice = cipher.encrypt("hunter2 ✓", "connection:db:password");

        assertThat(cipher.decrypt(once, "connection:db:password")).isEqualTo("hunter2 ✓");
        assertThat(once).isNotEqualTo(twice);
        assertThat(cipher.encrypt(null, "x")).isNull();
        assertThat(cipher.decrypt(null, "x")).isNull();
    }

    @Test
    void aWrongKeyIsReportedClearly() {
        byte[] sealed = cipher.encrypt("hunter2", "connection:db:password");
        SecretCipher other = SecretCipher.fromBase64Key(SecretCipher.generateKey());

        assertThatThrownBy(() -> other.decrypt(sealed, "connection:db:password"))
                .isInstanceOf(SecretDecryptionException.class)
                .hasMessage("cannot decrypt the secret connection:db:password: the encryption key is not the one"
                        + " it was stored with (was the key changed?) or the stored value was altered");
    }

    @Test
    void aValueMovedToAnotherFieldDoesNotDecrypt() {
        byte[] sealed = cipher.encrypt("hunter2", "connection:db:password");

        assertThatThrownBy(() -> cipher.decrypt(sealed, "connection:other:password"))
                .isInstanceOf(SecretDecryptionException.class);
    }

    @Test
    void badKeysAreRejectedWithAOneLineReason() {
        assertThatThrownBy(() -> SecretCipher.fromBase64Key(null)).hasMessageStartingWith("no secret encryption key");
        assertThatThrownBy(() -> SecretCipher.fromBase64Key("not base64 !!")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> SecretCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("must be 32 bytes, got 16");
    }

    @Test
    void aDeferredCipherAsksForItsKeyOnlyWhenASecretIsUsedAndThenOnce() {
        String key = SecretCipher.generateKey();
        AtomicInteger asked = new AtomicInteger();
        SecretCipher deferred = SecretCipher.deferred(() -> {
            asked.incrementAndGet();
            return SecretCipher.fromBase64Key(key);
        });
        assertThat(asked).hasValue(0);

        byte[] sealed = deferred.encrypt("hunter2", "variable:api_key");

        assertThat(SecretCipher.fromBase64Key(key).decrypt(sealed, "variable:api_key"))
                .isEqualTo("hunter2");
        assertThat(deferred.decrypt(sealed, "variable:api_key")).isEqualTo("hunter2");
        assertThat(asked).hasValue(1);
    }

    @Test
    void aDeferredCipherWithoutAKeyFailsOnlyWhenUsedWithTheSourcesMessage() {
        SecretCipher deferred = SecretCipher.deferred(() -> SecretCipher.fromBase64Key(""));

        assertThat(deferred.encrypt(null, "x")).isNull();
        assertThatThrownBy(() -> deferred.encrypt("hunter2", "variable:api_key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no secret encryption key");
    }
}
