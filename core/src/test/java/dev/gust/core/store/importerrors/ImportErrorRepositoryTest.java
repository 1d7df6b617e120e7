package dev.gust.core.store.importerrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.core.store.Params;
import dev.gust.core.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ImportErrorRepositoryTest {

    @RegisterExtension
    static final TestDatabase db = TestDatabase.create();

    ImportErrorRepository errors;

    @BeforeEach
    void empty() {
        db.jdbc().update("DELETE FROM import_error", Params.none());
        errors = new ImportErrorRepository(db.jdbc());
    }

    @Test
    void replacingAFilesErrorsDropsTheOldOnesAndLeavesOtherFilesAlone() {
        errors.replaceForFile(
                "/dags/a.yaml", List.of(new ImportProblem(3, "bad indent"), new ImportProblem(9, "no tasks")));
        errors.replaceForFile("/dags/b.yaml", List.of(new ImportProblem(null, "not YAML")));

        errors.replaceForFile("/dags/a.yaml", List.of(new ImportProblem(4, "unknown operator: bsh")));

        assertThat(errors.list())
                .extracting(StoredImportError::filename, StoredImportError::line, StoredImportError::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/dags/a.yaml", 4, "unknown operator: bsh"),
                        org.assertj.core.groups.Tuple.tuple("/dags/b.yaml", null, "not YAML"));
        assertThat(errors.list()).allSatisfy(e -> assertThat(e.timestamp()).isNotNull());
    }

    @Test
    void aFailedReplaceLeavesThePreviousErrorsInPlace() {
        errors.replaceForFile("/dags/a.yaml", List.of(new ImportProblem(3, "bad indent")));

        assertThatThrownBy(() -> errors.replaceForFile(
                "/dags/a.yaml", List.of(new ImportProblem(1, "first"), new ImportProblem(2, null))));

        assertThat(errors.list()).extracting(StoredImportError::message).containsExactly("bad indent");
    }

    @Test
    void clearingForgetsAFilesErrors() {
        errors.replaceForFile("/dags/a.yaml", List.of(new ImportProblem(3, "bad indent")));
        errors.replaceForFile("/dags/gone.yaml", List.of(new ImportProblem(1, "broken")));

        assertThat(errors.clearFilesOtherThan(List.of("/dags/a.yaml"))).isEqualTo(1);
        assertThat(errors.clearForFile("/dags/a.yaml")).isEqualTo(1);
        assertThat(errors.list()).isEmpty();
    }
}
