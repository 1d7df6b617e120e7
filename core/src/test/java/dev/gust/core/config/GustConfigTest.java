package dev.gust.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GustConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsApplyWithoutFileOrEnvironment() {
        GustConfig config = GustConfig.load(null, Map.of());
        assertThat(config.core().dagsFolder()).isEqualTo(Path.of("dags"));
        assertThat(config.core().dagDirListInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.core().maxDagFileSizeBytes()).isEqualTo(1024 * 1024);
        assertThat(config.database().embedded()).isTrue();
        assertThat(config.database().embeddedDataDir())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".gust", "postgres"));
        assertThat(config.get("core.executor").orElseThrow().source()).isEqualTo("default");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws IOException {
        Path file = write("""
                core:
                  dags_folder: /srv/dags
                  parallelism: 8
                database:
                  url: jdbc:postgresql://db:5432/gust
                """);
        GustConfig config = GustConfig.load(file, Map.of("GUST_CORE__PARALLELISM", "16"));
        assertThat(config.core().dagsFolder()).isEqualTo(Path.of("/srv/dags"));
        assertThat(config.core().parallelism()).isEqualTo(16);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/gust");
        assertThat(config.get("core.parallelism").orElseThrow().source()).isEqualTo("GUST_CORE__PARALLELISM");
        assertThat(config.get("core.dags_folder").orElseThrow().source()).isEqualTo(file.toString());
    }

    @Test
    void configFileCanBeNamedByEnvironment() throws IOException {
        Path file = write("core:\n  executor: ecs\n");
        GustConfig config = GustConfig.load(null, Map.of("GUST_CONFIG", file.toString()));
        assertThat(config.core().executor()).isEqualTo("ecs");
    }

    @Test
    void unknownKeyInFileIsAnErrorNamingItWithASuggestion() throws IOException {
        Path file = write("core:\n  dag_folder: /srv/dags\n");
        assertThatThrownBy(() -> GustConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown config key 'core.dag_folder'")
                .hasMessageContaining("did you mean 'core.dags_folder'?");
    }

    @Test
    void unknownEnvironmentKeyIsAnErrorNamingTheVariable() {
        assertThatThrownBy(() -> GustConfig.load(null, Map.of("GUST_CORE__NO_SUCH_THING", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'core.no_such_thing'")
                .hasMessageContaining("GUST_CORE__NO_SUCH_THING");
    }

    @Test
    void environmentWithoutDoubleUnderscoreIsNotConfig() {
        GustConfig config = GustConfig.load(null, Map.of("GUST_TEST_DATABASE_URL", "x", "GUST_HOME_X", "y"));
        assertThat(config.database().url()).isEmpty();
    }

    @Test
    void wrongTypeIsAnErrorNamingKeyValueAndSource() {
        assertThatThrownBy(() -> GustConfig.load(null, Map.of("GUST_CORE__PARALLELISM", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config key core.parallelism (GUST_CORE__PARALLELISM): value 'lots' is not a whole number");
        assertThatThrownBy(() -> GustConfig.load(null, Map.of("GUST_CORE__DAGS_ARE_PAUSED_AT_CREATION", "maybe")))
                .hasMessageContaining("not true or false");
        assertThatThrownBy(() -> GustConfig.load(null, Map.of("GUST_CORE__DEFAULT_TIMEZONE", "Mars/Base")))
                .hasMessageContaining("not a time zone");
        assertThatThrownBy(() -> GustConfig.load(null, Map.of("GUST_CORE__EXECUTOR", "celery")))
                .hasMessageContaining("not one of local, ecs");
    }

    @Test
    void durationsAndSizesAcceptUnits() {
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_CORE__DAG_DIR_LIST_INTERVAL", "2m",
                        "GUST_CORE__MAX_DAG_FILE_SIZE", "512KB",
                        "GUST_DATABASE__CONNECT_TIMEOUT", "750ms"));
        assertThat(config.core().dagDirListInterval()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.core().maxDagFileSizeBytes()).isEqualTo(512 * 1024);
        assertThat(config.database().connectTimeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void sectionThatIsNotAMappingIsAnError() throws IOException {
        Path file = write("cor: 3\n");
        assertThatThrownBy(() -> GustConfig.load(file, Map.of()))
                .hasMessageContaining("section 'cor' must be a mapping")
                .hasMessageContaining("known sections: core");
    }

    @Test
    void missingOrBrokenFileIsAClearError() throws IOException {
        assertThatThrownBy(() -> GustConfig.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageContaining("does not exist");
        Path broken = write("core:\n  dags_folder: [unclosed\n");
        assertThatThrownBy(() -> GustConfig.load(broken, Map.of())).hasMessageContaining("is not valid YAML");
    }

    @Test
    void secretsAndUrlPasswordsAreMasked() {
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_DATABASE__PASSWORD", "hunter2",
                        "GUST_DATABASE__URL", "postgresql://gust:s3cret@db:5432/gust"));
        assertThat(config.get("database.password").orElseThrow().displayValue()).doesNotContain("hunter2");
        assertThat(config.get("database.url").orElseThrow().displayValue())
                .doesNotContain("s3cret")
                .contains("postgresql://gust:")
                .contains("@db:5432/gust");
    }

    @Test
    void secretValuesAreWhatATaskLogMustMask() {
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "GUST_DATABASE__PASSWORD", "hunter2",
                        "GUST_DATABASE__URL", "jdbc:postgresql://db/gust?user=gust&password=p%40ss&ssl=true",
                        "GUST_SECURITY__ENCRYPTION_KEY", "a2V5"));
        assertThat(config.secretValues()).containsExactlyInAnyOrder("hunter2", "p%40ss", "p@ss", "a2V5");
        assertThat(GustConfig.load(null, Map.of("GUST_DATABASE__URL", "postgresql://gust:s3cret@db/gust"))
                        .secretValues())
                .containsExactly("s3cret");
    }

    @Test
    void tasksStartFromACleanEnvironmentPlusThePassthroughList() {
        GustConfig config = GustConfig.load(
                null,
                Map.of(
                        "PATH",
                        "/usr/bin",
                        "HOME",
                        "/home/gust",
                        "LC_ALL",
                        "C.UTF-8",
                        "TEAM_BUCKET",
                        "s3://team",
                        "OTHER",
                        "x",
                        "GUST_DATABASE__URL",
                        "postgresql://gust:s3cret@db/gust",
                        "GUST_CORE__TASK_ENVIRONMENT_PASSTHROUGH",
                        "TEAM_BUCKET, MISSING"));
        assertThat(config.taskEnvironment())
                .isEqualTo(Map.of(
                        "PATH", "/usr/bin", "HOME", "/home/gust", "LC_ALL", "C.UTF-8", "TEAM_BUCKET", "s3://team"));
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("gust.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
