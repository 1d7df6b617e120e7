package dev.gust.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

    @Test
    void masksEveryOccurrenceLongestFirst() {
        SecretMasker masker = new SecretMasker();
        masker.add("abc");
        masker.add("abcdef");
        assertThat(masker.mask("x abcdef y abc z abcdef")).isEqualTo("x *** y *** z ***");
    }

    @Test
    void ignoresShortAndNullSecrets() {
        SecretMasker masker = new SecretMasker();
        masker.add("ab");
        masker.add(null);
        assertThat(masker.isEmpty()).isTrue();
        assertThat(masker.mask("ab ab")).isEqualTo("ab ab");
    }

    @Test
    void collectsStringsInsideJsonValues() {
        SecretMasker masker = new SecretMasker();
        masker.addAll(Map.of("a", List.of("first-secret", 12), "b", "second-secret"));
        assertThat(masker.mask("first-secret second-secret 12")).isEqualTo("*** *** 12");
    }

    @Test
    void sensitiveNamesFollowAirflow() {
        assertThat(SecretMasker.isSensitiveName("DB_PASSWORD")).isTrue();
        assertThat(SecretMasker.isSensitiveName("github_token")).isTrue();
        assertThat(SecretMasker.isSensitiveName("Api_Key")).isTrue();
        assertThat(SecretMasker.isSensitiveName("client_secret")).isTrue();
        assertThat(SecretMasker.isSensitiveName("bucket")).isFalse();
        assertThat(SecretMasker.isSensitiveName(null)).isFalse();
    }

    @Test
    void learnsSecretsNestedUnderSensitiveNamesAtAnyDepth() {
        SecretMasker masker = new SecretMasker();
        masker.addSensitive(Map.of(
                "region",
                "eu-west-1",
                "auth",
                Map.of("api_token", "tok-nested"),
                "clients",
                List.of(Map.of("client_secret", List.of("in-a-list")))));
        assertThat(masker.mask("eu-west-1 tok-nested in-a-list")).isEqualTo("eu-west-1 *** ***");
    }

    @Test
    void redactsWhatIsStoredForOthersToRead() {
        SecretMasker masker = SecretMasker.of(List.of("hunter2-pw"));
        assertThat(masker.redact("user:hunter2-pw@db")).isEqualTo("user:***@db");
        Object value = java.util.Map.of(
                "rows", List.of(List.of("hunter2-pw", 3)), "nested", Map.of("password", "unknown-before"));
        assertThat(masker.redact(value))
                .isEqualTo(Map.of("rows", List.of(List.of("***", 3)), "nested", Map.of("password", "***")));
        assertThat(SecretMasker.of(List.of("424242")).redact(424242)).isEqualTo("***");
        assertThat(masker.redact(null)).isNull();
    }
}
