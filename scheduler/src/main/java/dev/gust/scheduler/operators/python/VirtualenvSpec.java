package dev.gust.scheduler.operators.python;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The virtualenv a PythonVirtualenvOperator task asks for: made by {@code interpreter} (whose
 * version is {@code pythonVersion}, e.g. 3.11.7), with or without the system site-packages, and
 * {@code requirements} installed by pip with {@code pipInstallOptions} from {@code indexUrls}.
 * Two tasks asking for the same one share it: the cache names it by {@link #hash()}.
 */
record VirtualenvSpec(
        Path interpreter,
        String pythonVersion,
        List<String> requirements,
        boolean systemSitePackages,
        List<String> pipInstallOptions,
        List<String> indexUrls) {

    VirtualenvSpec {
        requirements = List.copyOf(requirements);
        pipInstallOptions = List.copyOf(pipInstallOptions);
        indexUrls = List.copyOf(indexUrls);
    }

    /**
     * What decides the venv's content, hashed: the interpreter's version, the requirements, the
     * system site-packages flag, and the pip options and indexes that decide what gets installed.
     * The interpreter's path is left out, so a venv survives a new path to the same Python.
     */
    String hash() {
        StringBuilder key = new StringBuilder()
                .append("python ")
                .append(pythonVersion)
                .append('\n')
                .append("system_site_packages ")
                .append(systemSitePackages)
                .append('\n');
        requirements.forEach(r -> key.append("requirement ").append(r).append('\n'));
        pipInstallOptions.forEach(o -> key.append("pip option ").append(o).append('\n'));
        indexUrls.forEach(u -> key.append("index ").append(u).append('\n'));
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The arguments of {@code pip install} after the options: the indexes, then the requirements file. */
    List<String> pipInstallArguments(Path requirementsFile) {
        List<String> args = new java.util.ArrayList<>(pipInstallOptions);
        for (int i = 0; i < indexUrls.size(); i++) {
            args.add(i == 0 ? "--index-url" : "--extra-index-url");
            args.add(indexUrls.get(i));
        }
        args.add("-r");
        args.add(requirementsFile.toString());
        return args;
    }
}
