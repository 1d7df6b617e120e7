package dev.gust.webserver.ui;

import java.util.List;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;

/**
 * Turns a DAG's (or a task's) {@code doc_md} into HTML that is safe to put in a page: CommonMark
 * with GitHub's tables, as Airflow renders it, then cleaned by jsoup against an allow-list of
 * formatting tags. Whoever may edit a DAG file is not thereby allowed to run script in the browsers
 * of everyone who opens the DAG, so raw HTML in the Markdown keeps only what the allow-list has:
 * no {@code <script>}, no event handler attributes, no {@code javascript:} or {@code data:} links,
 * no images from elsewhere. Thread-safe.
 */
public final class DocMarkdown {

    private static final Parser PARSER =
            Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder()
            .extensions(List.of(TablesExtension.create()))
            .sanitizeUrls(true)
            .build();
    private static final Safelist ALLOWED = Safelist.relaxed()
            .removeTags("img")
            .removeProtocols("a", "href", "ftp")
            .addAttributes("th", "align")
            .addAttributes("td", "align")
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    private DocMarkdown() {}

    /** The sanitized HTML of {@code markdown}, or null when there is none. */
    public static String html(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return null;
        }
        String html = RENDERER.render(PARSER.parse(markdown));
        return Jsoup.clean(html, ALLOWED);
    }
}
