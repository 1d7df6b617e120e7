package dev.gust.cli;

/** How listing commands print: aligned columns for people, JSON for scripts. */
enum OutputFormat {
    table, json
}
