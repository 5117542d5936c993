package io.brubeck.service.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HtmlPageTest {

    @Test
    void escapesEverythingItIsGiven() {
        assertEquals("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39;", HtmlPage.escape("<b> & \"q\" 's'"));
        String page = HtmlPage.titled("<t>").result("<l>", "<r>").link("a?b=1&c=2", "<x>", "<y>").render();
        assertFalse(page.contains("<t>") || page.contains("<l>") || page.contains("<r>") || page.contains("<x>"));
        assertTrue(page.contains("href=\"a?b=1&amp;c=2\""));
    }

    @Test
    void linksBackOnlyWhenAsked() {
        assertFalse(HtmlPage.titled("t").render().contains("Back to the start"));
        assertTrue(HtmlPage.titled("t").backTo("../").render().contains("<a href=\"../\">Back to the start</a>"));
    }
}
