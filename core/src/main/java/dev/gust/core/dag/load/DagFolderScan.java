package dev.gust.core.dag.load;

import dev.gust.core.dag.model.Dag;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of a DAG folder after one scan: every DAG that loaded (by DAG id), the import
 * errors of each file that has any (files relative to the folder), the files whose content
 * changed since the previous scan (and so were parsed again) and the files that disappeared.
 */
public record DagFolderScan(
        Map<String, Dag> dags,
        Map<String, List<ImportError>> importErrors,
        Set<String> changedFiles,
        Set<String> removedFiles) {

    public DagFolderScan {
        dags = Map.copyOf(dags);
        importErrors = Map.copyOf(importErrors);
        changedFiles = Set.copyOf(changedFiles);
        removedFiles = Set.copyOf(removedFiles);
    }

    public int taskCount() {
        return dags.values().stream().mapToInt(dag -> dag.tasks().size()).sum();
    }
}
