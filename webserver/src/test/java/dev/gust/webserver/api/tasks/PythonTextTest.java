package dev.gust.webserver.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The text Python 3's {@code str()} makes of each JSON value (what CPython prints, written down). */
class PythonTextTest {

    private static String str(String json) throws Exception {
        return PythonText.str(new ObjectMapper().readTree(json));
    }

    @Test
    void valuesAreWrittenAsPythonWritesThem() throws Exception {
        assertThat(str("{\"a\": [1, 2.5, true, false, null]}")).isEqualTo("{'a': [1, 2.5, True, False, None]}");
        assertThat(str("\"plain text\"")).isEqualTo("plain text");
        assertThat(str("[\"it's\", \"say \\\"hi\\\"\", \"both ' \\\"\"]"))
                .isEqualTo("[\"it's\", 'say \"hi\"', 'both \\' \"']");
        assertThat(str("[\"a\\nb\\\\c\"]")).isEqualTo("['a\\nb\\\\c']");
        assertThat(str("[1.0, 100.0, 1e20, 0.00001, -2.5e-7]")).isEqualTo("[1.0, 100.0, 1e+20, 1e-05, -2.5e-07]");
        assertThat(str("12345678901234567890")).isEqualTo("12345678901234567890");
        assertThat(str("{}")).isEqualTo("{}");
    }
}
