package dev.gust.core.store.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GustSecretsTest {

    @Test
    void theEmbeddedDatabasePasswordAndTheGeneratedKeyAreSecretsATaskMayNotShow(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("postgres.password"), "pg-superuser-secret\n");
        Files.writeString(home.resolve("encryption.key"), "generated-key\n");
        GustConfig config = GustConfig.load(null, Map.of("GUST_CORE__HOME", home.toString()));

        assertThat(GustSecrets.of(config)).contains("pg-superuser-secret", "generated-key");
    }

    @Test
    void aServerGivenByUrlHasNoEmbeddedPasswordToAdd(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve("postgres.password"), "stale-embedded-secret\n");
        GustConfig config = GustConfig.load(
                null,
                Map.of("GUST_CORE__HOME", home.toString(), "GUST_DATABASE__URL", "postgresql://gust:s3cret@db/gust"));

        assertThat(GustSecrets.of(config)).contains("s3cret").doesNotContain("stale-embedded-secret");
    }
}
