package dev.gust.scheduler.operators.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.config.GustConfig;
import dev.gust.scheduler.operators.FakeTaskRunContext;
import dev.gust.scheduler.operators.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonCallTest {

    private static final Path DAGS = Path.of("/srv/dags");

    private static FakeTaskRunContext context(Object... args) {
        return FakeTaskRunContext.of(args)
                .python(new PythonSettings(new GustConfig.Python("python3", List.of()), DAGS, Path.of("/tmp/x")));
    }

    @Test
    void aDottedCallableIsAModuleAndAFunction() {
        PythonCall call = PythonCall.fromArgs(context(
                "python_callable", "etl.extract.run", "op_args", Arrays.asList(1, null), "op_kwargs", Map.of("a", 1)));
        assertThat(call.module()).isEqualTo("etl.extract");
        assertThat(call.function()).isEqualTo("run");
        assertThat(call.opArgs()).containsExactly(1, null);
        assertThat(call.opKwargs()).containsEntry("a", 1);
        assertThat(call.doXcomPush()).isTrue();
        assertThat(call.describe()).isEqualTo("etl.extract.run");
    }

    @Test
    void aCallableFileIsResolvedAgainstTheDagFolderUnlessAbsolute() {
        assertThat(PythonCall.fromArgs(context(
                                "python_callable_name", "load", "python_callable_file", "callables/../etl/jobs.py"))
                        .file())
                .isEqualTo(Path.of("/srv/dags/etl/jobs.py"));
        assertThat(PythonCall.fromArgs(
                                context("python_callable_name", "load", "python_callable_file", "/opt/code/jobs.py"))
                        .file())
                .isEqualTo(Path.of("/opt/code/jobs.py"));
    }

    @Test
    void badArgumentsSayWhatToWrite() {
        assertThatThrownBy(() -> PythonCall.fromArgs(context("python_callable", "extract")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("python_callable 'extract' must be a dotted path module.function");
        assertThatThrownBy(() -> PythonCall.fromArgs(context("python_callable_name", "load")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("python_callable_name 'load' needs python_callable_file, the .py file that defines it");
        assertThatThrownBy(() -> PythonCall.fromArgs(context("python_callable", "a.b", "op_args", "1, 2")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("argument 'op_args' must be a list, got '1, 2'");
    }
}
