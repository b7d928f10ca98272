package org.dl4jinvariance.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table of text cells that prints as aligned text (the terminal) and as an HTML table (the
 * summary page), so that the page never shows a clipped {@code <pre>} table. The first column is
 * left-aligned (names), the others right-aligned (numbers).
 */
final class TextTable {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        if (header == null || header.isEmpty()) {
            throw new IllegalArgumentException("A table needs at least one column, got " + header);
        }
        this.header = List.copyOf(header);
    }

    /** Adds a row of exactly as many cells as the header has columns. */
    TextTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException("Row " + cells + " has " + cells.size() + " cells; the table has "
                    + header.size() + " columns " + header);
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    List<String> header() {
        return header;
    }

    List<List<String>> rows() {
        return rows;
    }

    /** Aligned text, one line per row, no trailing blanks. */
    String text() {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, widths);
        rows.forEach(r -> line(sb, r, widths));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                l.append("  ");
            }
            String fmt = c == 0 ? "%-" + widths[c] + "s" : "%" + widths[c] + "s";
            l.append(String.format(Locale.ROOT, fmt, cells.get(c)));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** An HTML table; cells wrap where they must, numbers stay on one line. */
    String html() {
        StringBuilder h = new StringBuilder("<table>\n<tr>");
        header.forEach(c -> h.append("<th>").append(SummaryPage.escape(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                h.append(c == 0 ? "<td>" : "<td class=\"num\">").append(SummaryPage.escape(row.get(c))).append("</td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }
}
