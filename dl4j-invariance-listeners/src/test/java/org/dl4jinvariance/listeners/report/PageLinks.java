package org.dl4jinvariance.listeners.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every link of a written page resolves: files relative to the page exist, anchors name an id on the page. */
public final class PageLinks {

    private static final Pattern HREF = Pattern.compile("href=\"([^\"]+)\"");

    private PageLinks() {
    }

    /** @return the number of links checked */
    public static int assertResolve(Path page) throws IOException {
        String html = Files.readString(page);
        Matcher m = HREF.matcher(html);
        int links = 0;
        while (m.find()) {
            String href = m.group(1).replace("&amp;", "&");
            links++;
            if (href.startsWith("#")) {
                assertTrue(html.contains("id=\"" + href.substring(1) + "\""), "anchor without target in " + page + ": " + href);
            } else {
                assertTrue(!href.contains("://"), "external link in " + page + ": " + href);
                Path target = page.getParent().resolve(href.replaceAll("#.*$", "")).normalize();
                assertTrue(Files.isRegularFile(target), "dead link in " + page + ": " + href + " (" + target + ")");
            }
        }
        return links;
    }
}
