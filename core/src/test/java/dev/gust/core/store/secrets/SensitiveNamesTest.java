package dev.gust.core.store.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SensitiveNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "db_password",
                "PASSWORD",
                "client_secret",
                "passwd",
                "Authorization",
                "stripe_api_key",
                "openai-apikey",
                "access_token",
                "github_token",
                "private_key",
                "ssh_key",
                "keyfile"
            })
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

    @org.junit.jupiter.api.Test
    void redactsSensitiveValuesAtAnyDepth() {
        Object extra = java.util.Map.of(
                "region",
                "eu",
                "auth",
                java.util.Map.of("api_token", "t", "user", "u"),
                "clients",
                java.util.List.of(java.util.Map.of("secret", java.util.Map.of("deep", "d"))));
        assertThat(SensitiveNames.redact(extra))
                .isEqualTo(java.util.Map.of(
                        "region",
                        "eu",
                        "auth",
                        java.util.Map.of("api_token", "***", "user", "u"),
                        "clients",
                        java.util.List.of(java.util.Map.of("secret", "***"))));
    }
}
