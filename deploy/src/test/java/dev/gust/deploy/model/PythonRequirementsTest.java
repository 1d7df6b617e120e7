package dev.gust.deploy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gust.deploy.DeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy.yaml's {@code python_requirements}: a list or a requirements file beside deploy.yaml
 * becomes the requirements text the image build installs; what the build cannot see (local
 * paths, includes, editable installs) and malformed values are refused in one line.
 */
class PythonRequirementsTest {

    @TempDir
    Path dir;

    private DeployConfig load(String yaml) throws Exception {
        Path file = dir.resolve("deploy.yaml");
        Files.writeString(file, yaml);
        return DeployConfig.load(file, true);
    }

    private void refused(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(DeployException.class).hasMessage(message);
    }

    @Test
    void aListOrAFileBesideDeployYamlIsTheTextTheImageBuildInstalls() throws Exception {
        assertThat(load("scheduler: {desired_count: 2}\n").pythonRequirements().text())
                .as("none by default")
                .isEmpty();
        assertThat(DeployConfig.defaults().pythonRequirements().text()).isEmpty();
        assertThat(load("python_requirements: [pandas==2.2.2, 'requests>=2.31', --extra-index-url"
                                + " https://pypi.example.com/simple]\n")
                        .pythonRequirements()
                        .text())
                .isEqualTo("pandas==2.2.2\nrequests>=2.31\n--extra-index-url https://pypi.example.com/simple\n");

        Files.createDirectories(dir.resolve("python"));
        Files.writeString(dir.resolve("python/requirements.txt"), "# tasks\n\npandas==2.2.2\n  boto3 \n");
        assertThat(load("python_requirements: python/requirements.txt\n")
                        .pythonRequirements()
                        .text())
                .isEqualTo("pandas==2.2.2\nboto3\n");
    }

    @Test
    void whatTheImageBuildCannotSeeAndMalformedValuesAreRefusedInOneLine() throws Exception {
        refused(
                "python_requirements: missing.txt\n",
                "deploy.yaml: python_requirements: the requirements file 'missing.txt' does not exist (looked for "
                        + dir.resolve("missing.txt") + "); give its path relative to deploy.yaml, or list the"
                        + " requirements");
        refused(
                "python_requirements: [pandas, ./wheels/mylib-1.0-py3-none-any.whl]\n",
                "deploy.yaml: python_requirements: './wheels/mylib-1.0-py3-none-any.whl' is a local path, which the"
                        + " image build cannot see; publish the package to an index and name it (with --index-url or"
                        + " --extra-index-url)");
        Files.writeString(dir.resolve("requirements.txt"), "pandas\n-r more.txt\n");
        refused(
                "python_requirements: requirements.txt\n",
                "deploy.yaml: python_requirements: '-r more.txt' reads a file or folder of this machine, which the"
                        + " image build cannot see; list its requirements here instead");
        refused(
                "python_requirements: [pandas, 3]\n",
                "deploy.yaml: python_requirements: each entry must be one requirement on one line, like"
                        + " 'pandas==2.2.2' (got '3')");
        refused(
                "python_requirements: {pandas: 2}\n",
                "deploy.yaml: python_requirements must be a list of requirements or the path of a requirements"
                        + " file (got '{pandas=2}')");
    }
}
