package dev.gust.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code gust --version}, from the jar's manifest when built. */
public final class GustVersion implements IVersionProvider {

    public static String current() {
        String version = GustVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"gust " + current(), "Java " + Runtime.version()};
    }
}
