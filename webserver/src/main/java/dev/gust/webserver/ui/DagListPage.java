package dev.gust.webserver.ui;

import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The DAG list, the web UI's home page: every active DAG with its schedule, tags and paused
 * flag, and the "Broken DAG" banner while import errors exist. Rendered from the database only.
 */
public final class DagListPage {

    private final DagRepository dags;
    private final ImportErrorRepository importErrors;
    private final PebbleTemplate template;

    public DagListPage(DagRepository dags, ImportErrorRepository importErrors, PebbleEngine templates) {
        this.dags = dags;
        this.importErrors = importErrors;
        this.template = templates.getTemplate("dag_list");
    }

    public String render() {
        StringWriter html = new StringWriter();
        try {
            template.evaluate(html, Map.of("dags", dags.listActive(), "importErrors", importErrors.list()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return html.toString();
    }
}
