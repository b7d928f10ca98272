package org.dl4jinvariance.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.dl4jinvariance.listeners.report.HtmlReporter;

/** index.html: the summary table, the charts (embedded) and links to each model's page. */
final class SummaryPage {

    /** A chart to embed, with its alt text. */
    record Image(String alt, byte[] png) {
    }

    private SummaryPage() {
    }

    /**
     * @param dir the experiment's output folder: a model is linked to its page only when the
     *            listener wrote one there ({@link HtmlReporter#FILE_NAME}), so no link is dead
     */
    static String html(Summary summary, List<Image> images, Path dir) {
        StringBuilder links = new StringBuilder();
        for (Summary.Entry e : summary.entries()) {
            String page = e.id() + "/" + HtmlReporter.FILE_NAME;
            if (Files.exists(dir.resolve(page))) {
                links.append("<li><a href=\"").append(escape(page)).append("\">").append(escape(e.title()))
                        .append("</a>: curves per epoch, per layer and data set (CSV, JSONL, PNG in <code>")
                        .append(escape(e.id())).append("/</code>)</li>\n");
            } else {
                links.append("<li>").append(escape(e.title())).append(": measured after training only (the table above)</li>\n");
            }
        }
        StringBuilder charts = new StringBuilder();
        for (Image image : images) {
            charts.append("<img alt=\"").append(escape(image.alt())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(image.png())).append("\">\n");
        }
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(summary.experiment())
                + "</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
                + "pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:100%}</style></head><body>\n"
                + "<h1>" + escape(summary.experiment()) + "</h1>\n<pre>" + escape(summary.table()) + "</pre>\n"
                + charts + "<h2>Per model</h2>\n<ul>\n" + links
                + "</ul>\n<p>Made with dl4j-invariance; metrics after Kvinge et al., NeurIPS 2022.</p>\n</body></html>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
