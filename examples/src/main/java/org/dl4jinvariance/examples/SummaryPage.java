package org.dl4jinvariance.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.dl4jinvariance.listeners.report.HtmlReporter;
import org.dl4jinvariance.listeners.report.ValueFormat;
import org.dl4jinvariance.metric.MetricGlossary;

/**
 * index.html of a run: the tables as HTML tables (models, per layer, the experiment's own
 * sections), a glossary of the metrics shown (from each metric's {@link MetricGlossary}), the
 * charts (embedded) and links to each model's page; and a link up to the output folder's
 * comparison page when the run has a dated folder of its own.
 */
final class SummaryPage {

    /** The page style, shared with the comparison page. */
    static final String STYLE = "body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1.5em;color:#222}"
            + "table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "font-size:13px;text-align:left;vertical-align:top}th{background:#f3f3f3}"
            + "td.num{font-family:monospace;white-space:nowrap;text-align:right}img{max-width:100%}"
            + ".meta{color:#555}dl.glossary dt{font-weight:bold;margin-top:0.5em}dl.glossary dd{margin-left:1.5em}";

    /** A chart to embed, with its alt text. */
    record Image(String alt, byte[] png) {
    }

    private SummaryPage() {
    }

    /**
     * @param dir the run's output folder: a model is linked to its page only when the listener
     *            wrote one there ({@link HtmlReporter#FILE_NAME}), so no link is dead
     */
    static String html(Summary summary, List<Image> images, Path dir) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(summary.experiment())).append("</title>\n<style>").append(STYLE)
                .append("</style></head><body>\n");
        RunFolder folder = summary.folder();
        if (folder.comparisonAbove()) {
            h.append("<p><a href=\"").append(RunFolder.COMPARISON_HREF).append("\">&larr; every run in ")
                    .append(escape(folder.baseName())).append("</a></p>\n");
        }
        h.append("<h1>").append(escape(summary.experiment())).append("</h1>\n<p class=\"meta\">")
                .append(escape(summary.headline())).append(". Values: mean [95% bootstrap CI]; ")
                .append(escape(ValueFormat.EXACT)).append(": a deviation within float round-off of 0.</p>\n");
        h.append("<h2>Models</h2>\n").append(summary.modelTable().html());
        h.append("<h2>Per model</h2>\n<ul>\n");
        for (Summary.Entry e : summary.entries()) {
            String page = e.id() + "/" + HtmlReporter.FILE_NAME;
            if (Files.exists(dir.resolve(page))) {
                h.append("<li><a href=\"").append(escape(page)).append("\">").append(escape(e.title()))
                        .append("</a>: architecture, curves per epoch, per layer and data set (CSV, JSONL, PNG in <code>")
                        .append(escape(e.id())).append("/</code>)</li>\n");
            } else {
                h.append("<li>").append(escape(e.title())).append(": measured after training only (the tables)</li>\n");
            }
        }
        h.append("</ul>\n<h2>").append(escape(summary.layout().layerCaption())).append("</h2>\n")
                .append(summary.layerTable().html());
        for (Map.Entry<String, String> section : summary.sectionsHtml()) {
            h.append("<h2>").append(escape(section.getKey())).append("</h2>\n").append(section.getValue());
        }
        for (Image image : images) {
            h.append("<p><img alt=\"").append(escape(image.alt())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(image.png())).append("\"></p>\n");
        }
        glossary(h, summary.metricsShown());
        h.append("<p class=\"meta\">Made with dl4j-invariance; metrics after Kvinge et al., NeurIPS 2022.</p>\n")
                .append("</body></html>\n");
        return h.toString();
    }

    /** Formula, range and direction of every metric key the tables show. */
    static void glossary(StringBuilder h, List<String> keys) {
        StringBuilder entries = new StringBuilder();
        for (String key : keys) {
            MetricGlossary.of(key).ifPresent(g -> entries.append("<dt>").append(escape(key)).append(" <span class=\"meta\">(")
                    .append(escape(g.direction())).append(")</span></dt><dd>").append(escape(g.formula()))
                    .append(". Range: ").append(escape(g.range())).append(".</dd>\n"));
        }
        if (entries.length() > 0) {
            h.append("<h2>Glossary</h2>\n<dl class=\"glossary\">\n").append(entries).append("</dl>\n");
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
