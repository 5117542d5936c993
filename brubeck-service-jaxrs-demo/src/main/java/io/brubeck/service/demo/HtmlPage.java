package io.brubeck.service.demo;

/**
 * Builds the demo's small HTML pages; every piece of text given to it is escaped. Links are relative,
 * so the pages work at the root of the embedded server and under a WAR's context path alike.
 */
final class HtmlPage {
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private String back;

    private HtmlPage(String title) {
        this.title = title;
    }

    static HtmlPage titled(String title) {
        return new HtmlPage(title);
    }

    /** A link back to the start page at the given relative address, at the end of the page. */
    HtmlPage backTo(String href) {
        this.back = href;
        return this;
    }

    /** A heading. */
    HtmlPage heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    /** A paragraph of text. */
    HtmlPage paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A paragraph that stands out, such as the result of a call. */
    HtmlPage result(String label, String text) {
        body.append("<p><strong>").append(escape(label)).append("</strong> <q class=\"result\">")
                .append(escape(text)).append("</q></p>\n");
        return this;
    }

    /** A paragraph holding a link and what it does. */
    HtmlPage link(String href, String text, String explanation) {
        body.append("<p><a href=\"").append(escape(href)).append("\">").append(escape(text)).append("</a> ")
                .append(escape(explanation)).append("</p>\n");
        return this;
    }

    /** The page as a whole. */
    String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title>\n<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.4}"
                + "q.result{font-family:monospace}</style></head>\n<body>\n<h1>" + escape(title) + "</h1>\n"
                + body + (back == null ? "" : "<p><a href=\"" + escape(back) + "\">Back to the start</a></p>\n")
                + "</body>\n</html>\n";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
