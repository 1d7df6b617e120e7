package dev.gust.webserver.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** doc_md as HTML: Markdown's formatting kept, everything that could run or load something dropped. */
class DocMarkdownTest {

    @Test
    void markdownAndTablesAreRendered() {
        assertThat(DocMarkdown.html("# T\n\n*a* **b** `c`\n\n- x\n\n| h | i |\n|:--|--:|\n| 1 | 2 |\n"))
                .contains("<h1>T</h1>")
                .contains("<em>a</em> <strong>b</strong> <code>c</code>")
                .contains("<li>x</li>")
                .contains("<th align=\"left\">h</th>")
                .contains("<td align=\"right\">2</td>");
        assertThat(DocMarkdown.html("[ok](https://example.com) [mail](mailto:a@example.com)"))
                .contains("<a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">ok</a>")
                .contains("href=\"mailto:a@example.com\"");
        assertThat(DocMarkdown.html("  ")).isNull();
        assertThat(DocMarkdown.html(null)).isNull();
    }

    @Test
    void nothingThatRunsOrLoadsSurvives() {
        String[] attacks = {
            "<script>alert(1)</script>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "<javascript:alert(1)>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<img src=x onerror=alert(1)>",
            "![i](https://tracker.example.com/pixel.png)",
            "<svg onload=alert(1)></svg>",
            "<iframe src=\"https://example.com\"></iframe>",
            "<style>body{display:none}</style>",
            "<div style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">d</div>",
            "<form action=\"https://evil.example.com\"><input name=p></form>",
            "<object data=\"x.swf\"></object><embed src=\"x\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example.com\">",
            // htmx acts on hx-* attributes wherever they are in the page: none may come from a DAG's docs
            "<a hx-post=\"/dags/x/pause\" hx-trigger=\"load\" data-hx-get=\"/\" hx-on:click=\"alert(1)\">x</a>",
        };
        for (String attack : attacks) {
            String html = DocMarkdown.html("text\n\n" + attack + "\n");
            assertThat(html.toLowerCase())
                    .as(attack)
                    .doesNotContain("<script")
                    // the words may stay as text; never as a link's or a resource's address
                    .doesNotContainPattern("(href|src|action)=\"?\\s*(javascript|data):")
                    .doesNotContain("src=")
                    .doesNotContain("onerror")
                    .doesNotContain("onload")
                    .doesNotContain("onclick")
                    .doesNotContain("<img")
                    .doesNotContain("<svg")
                    .doesNotContain("<iframe")
                    .doesNotContain("<style")
                    .doesNotContain("style=")
                    .doesNotContain("<form")
                    .doesNotContain("<input")
                    .doesNotContain("<object")
                    .doesNotContain("<embed")
                    .doesNotContain("<meta")
                    .doesNotContain("hx-");
        }
    }
}
