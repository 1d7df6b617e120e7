package dev.gust.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupStateTest {

    @Test
    void troubleComesFirstAndDoneLast() {
        assertThat(TaskGroupState.of(List.of(TaskState.SUCCESS, TaskState.FAILED, TaskState.RUNNING)))
                .contains(TaskState.FAILED);
        assertThat(TaskGroupState.of(List.of(TaskState.SUCCESS, TaskState.UPSTREAM_FAILED, TaskState.UP_FOR_RETRY)))
                .contains(TaskState.UPSTREAM_FAILED);
        assertThat(TaskGroupState.of(List.of(TaskState.SUCCESS, TaskState.RUNNING, TaskState.QUEUED)))
                .contains(TaskState.QUEUED);
        assertThat(TaskGroupState.of(List.of(TaskState.SUCCESS, TaskState.RUNNING)))
                .contains(TaskState.RUNNING);
        assertThat(TaskGroupState.of(List.of(TaskState.SUCCESS, TaskState.NONE)))
                .contains(TaskState.NONE);
        assertThat(TaskGroupState.of(List.of(TaskState.SKIPPED, TaskState.SUCCESS)))
                .contains(TaskState.SUCCESS);
        assertThat(TaskGroupState.of(List.of(TaskState.SKIPPED, TaskState.REMOVED)))
                .contains(TaskState.SKIPPED);
        assertThat(TaskGroupState.of(List.of())).isEmpty();
    }

    @Test
    void everyStateHasAPlace() {
        assertThat(EnumSet.copyOf(TaskGroupState.PRIORITY)).isEqualTo(EnumSet.allOf(TaskState.class));
        assertThat(TaskGroupState.PRIORITY).doesNotHaveDuplicates();
    }
}
