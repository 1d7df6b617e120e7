package dev.gust.cli.common;

/** How listing commands print: aligned columns for people, JSON for scripts. */
public enum OutputFormat {
    table,
    json
}
