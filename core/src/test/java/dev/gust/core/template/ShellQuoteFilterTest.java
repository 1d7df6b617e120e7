package dev.gust.core.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code shell_quote}/{@code sh} filter, checked by a real {@code /bin/sh}: whatever a run's
 * conf holds arrives as literal words and never runs anything.
 */
class ShellQuoteFilterTest {

    private static final TemplateRenderer RENDERER = new TemplateRenderer();
    private static final List<String> NASTY = List.of(
            "x; id > /tmp/p",
            "a'b",
            "'",
            "''",
            "$(id)",
            "`id`",
            "${HOME}",
            "a\nb",
            "*",
            "-n",
            "",
            " lead",
            "\\'; touch x; '",
            "é ü 日本",
            "a\"b",
            "!!",
            "x && y || z",
            "#comment",
            "~");

    @TempDir
    Path dir;

    private String render(String template, Map<String, Object> conf) {
        return (String) RENDERER.render(
                "bash_command",
                template,
                TemplateContext.builder("d", "t", "manual__x", Instant.parse("2024-01-01T00:00:00Z"))
                        .dagParams(Map.of())
                        .conf(conf)
                        .build());
    }

    /** Runs {@code command} with sh and returns each argument printf received, one per line. */
    private List<String> shellWords(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/sh", "-c", "printf '<%s>\\n' " + command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        List<String> words = new ArrayList<>();
        for (String chunk : out.split(">\n", -1)) {
            if (!chunk.isEmpty()) {
                words.add(chunk.substring(1));
            }
        }
        return words;
    }

    @Test
    void everyStringArrivesAsOneLiteralWord() throws Exception {
        for (String value : NASTY) {
            String command = render("{{ params.v | shell_quote }}", Map.of("v", value));
            assertThat(shellWords(command)).as(command).containsExactly(value);
            assertThat(render("{{ params.v | sh }}", Map.of("v", value))).isEqualTo(command);
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing ran").isEmpty();
        }
    }

    @Test
    void aListIsOneWordPerItemAndOtherValuesTheirText() throws Exception {
        assertThat(shellWords(render("{{ params.v | sh }}", Map.of("v", List.of("eu", "x; id", "a'b")))))
                .containsExactly("eu", "x; id", "a'b");
        assertThat(shellWords(render("{{ params.v | sh }}", Map.of("v", 1000)))).containsExactly("1000");
        assertThat(shellWords(render("{{ params.v | sh }}", Map.of("v", true)))).containsExactly("true");
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", "v'; id");
        assertThat(shellWords(render("{{ params.v | sh }}", Map.of("v", nested))))
                .containsExactly("{\"k\":\"v'; id\"}");
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("v", null);
        assertThat(render("x{{ params.v | sh }}", withNull)).isEqualTo("x''");
        assertThat(ShellQuoteFilter.quote(new String[] {"a b", "c"})).isEqualTo("'a b' 'c'");
        assertThat(ShellQuoteFilter.quote(Arrays.asList("x", List.of(1, 2)))).isEqualTo("'x' '[1,2]'");
    }
}
