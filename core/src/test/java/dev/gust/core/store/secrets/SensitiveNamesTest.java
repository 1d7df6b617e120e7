package dev.gust.core.store.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"db_password", "PASSWORD", "client_secret", "passwd", "Authorization", "stripe_api_key",
        "openai-apikey", "access_token", "github_token", "private_key", "ssh_key", "keyfile"})
    void namesThatHoldSecrets(String name) {
        assertThat(SensitiveNames.isSensitive(name)).isTrue();
        assertThat(SensitiveNames.maskIfSensitive(name, "value")).isEqualTo("***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"environment", "bucket", "region_name", "sslmode", "pass", "tok", ""})
    void namesThatDoNot(String name) {
        assertThat(SensitiveNames.isSensitive(name)).isFalse();
        assertThat(SensitiveNames.maskIfSensitive(name, "value")).isEqualTo("value");
    }

    @org.junit.jupiter.api.Test
    void nullsStayNull() {
        assertThat(SensitiveNames.isSensitive(null)).isFalse();
        assertThat(SensitiveNames.maskIfSensitive("password", null)).isNull();
    }
}
