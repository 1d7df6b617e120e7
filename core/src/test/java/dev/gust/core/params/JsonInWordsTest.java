package dev.gust.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** What a person is told about broken JSON: where, and what to change, never the parser's internals. */
class JsonInWordsTest {

    private static String described(String json) {
        try {
            new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            return JsonInWords.describe(e);
        }
        return fail("parsed: " + json);
    }

    @Test
    void commonMistakesAreSaidInWordsWithTheirPlace() {
        assertThat(described("{limit: 1}"))
                .isEqualTo("at line 1, column 2: a key must be in double quotes, like {\"key\": 1}");
        assertThat(described("{\"a\": 1,\n \"b\": 2,}"))
                .startsWith("at line 2, column 9: a key must be in double quotes")
                .endsWith("(or a comma is one too many)");
        assertThat(described("{\"a\": 1 \"b\": 2}"))
                .endsWith("a comma is missing between two entries (or a } is missing at the end)");
        assertThat(described("{\"a\": [1 2]}"))
                .endsWith("a comma is missing between two items of a list (or a ] is missing at the end)");
        assertThat(described("{\"a\" 1}")).endsWith("a colon is missing between a key and its value, like \"key\": 1");
        assertThat(described("{\"a\": 1")).endsWith("it ends too early; a closing } or ] or \" is missing");
        assertThat(described("{\"a\": True}"))
                .endsWith(
                        "'True' is not a JSON value; put text in double quotes, and write true, false and null in lower case");
        assertThat(described("{\"a\": 'x'}")).endsWith("text must be in double quotes, not single quotes");
        assertThat(described("{\"a\": 1]")).endsWith("a closing } or ] does not match what was opened");
    }

    @Test
    void neverTheParsersInternals() {
        for (String json :
                new String[] {"{limit: 1}", "{\"a\": 1", "{\"a\": True}", "{\"a\": 'x'}", "{\"a\": 1]", "{\"a\" 1}"}) {
            assertThat(described(json))
                    .doesNotContain("code")
                    .doesNotContain("Source")
                    .doesNotContain("REDACTED")
                    .doesNotContain("Jackson")
                    .doesNotContain("StreamReadFeature");
        }
    }
}
