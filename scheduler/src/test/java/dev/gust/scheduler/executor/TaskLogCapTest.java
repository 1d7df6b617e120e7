package dev.gust.scheduler.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The cap's arithmetic: bytes of UTF-8, one cut line, and a try taken over counts what it had. */
class TaskLogCapTest {

    private static final Function<String, String> AS_LINE = text -> text + "\n";

    @Test
    void linesPassUntilTheNextWouldCrossTheCapThenOneCutLineAndNothingMore() {
        TaskLogCap cap = new TaskLogCap(10, 0);
        assertThat(cap.admit("12345\n", AS_LINE)).isEqualTo("12345\n");
        assertThat(cap.admit("ü\n", AS_LINE)).as("3 bytes: 9 in all").isEqualTo("ü\n");
        assertThat(cap.admit("ab\n", AS_LINE)).startsWith("Gust: this log was cut at 9 bytes");
        assertThat(cap.isCut()).isTrue();
        assertThat(cap.admit("x\n", AS_LINE)).isNull();
    }

    @Test
    void aWriterTakingOverATryCountsWhatTheTryAlreadyStored() {
        assertThat(new TaskLogCap(100, 95).admit("0123456789\n", AS_LINE))
                .startsWith("Gust: this log was cut at 95 bytes");
        TaskLogCap full = new TaskLogCap(100, 100);
        assertThat(full.isCut()).isTrue();
        assertThat(full.admit("x\n", AS_LINE))
                .as("nothing more once the try's log is full")
                .isNull();
    }

    @Test
    void zeroMeansNoCap() {
        TaskLogCap cap = new TaskLogCap(0, 1_000_000_000L);
        assertThat(cap.admit("x".repeat(100_000) + "\n", AS_LINE)).hasSize(100_001);
        assertThat(cap.isCut()).isFalse();
    }
}
