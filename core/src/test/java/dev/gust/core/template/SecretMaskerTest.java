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
}
