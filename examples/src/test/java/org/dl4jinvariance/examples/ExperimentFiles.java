package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Checks shared by the experiment tests: every file an experiment must write, and summary.json. */
final class ExperimentFiles {

    private ExperimentFiles() {
    }

    /**
     * Every link of every page written under {@code dir} (the summary, the comparison page, each
     * listener-written model page, at any depth) resolves: a file link to a file that exists, an
     * anchor to an id on the same page. No external links.
     *
     * @return the number of pages checked
     */
    static int assertLinksResolve(Path dir) throws IOException {
        List<Path> pages;
        try (var walk = Files.walk(dir)) {
            pages = walk.filter(p -> p.toString().endsWith(".html")).toList();
        }
        assertTrue(Files.exists(dir.resolve("index.html")), "no index.html in " + dir);
        java.util.regex.Pattern href = java.util.regex.Pattern.compile("href=\"([^\"]+)\"");
        for (Path page : pages) {
            String html = Files.readString(page);
            java.util.regex.Matcher m = href.matcher(html);
            while (m.find()) {
                String link = m.group(1).replace("&amp;", "&");
                if (link.startsWith("#")) {
                    assertTrue(html.contains("id=\"" + link.substring(1) + "\""), "anchor without target in " + page
                            + ": " + link);
                    continue;
                }
                assertTrue(!link.contains("://"), "external link in " + page + ": " + link);
                Path target = page.getParent().resolve(link.replaceAll("#.*$", "")).normalize();
                assertTrue(Files.isRegularFile(target), "dead link in " + page + ": " + link);
            }
        }
        return pages.size();
    }

    /** The top-level files (non-trivial, PNGs really PNG) and each model directory's CSV, JSONL, PNG and HTML. */

    static void assertWritten(Path dir, List<String> topLevel, List<String> models) throws IOException {
        for (String file : topLevel) {
            assertTrue(Files.size(dir.resolve(file)) > 100, file);
            if (file.endsWith(".png")) {
                byte[] png = Files.readAllBytes(dir.resolve(file));
                assertEquals((byte) 0x89, png[0], file);
                assertEquals('P', png[1], file);
            }
        }
        for (String model : models) {
            try (var files = Files.list(dir.resolve(model))) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                for (String ext : List.of(".csv", ".jsonl", ".png", ".html")) {
                    assertTrue(names.stream().anyMatch(n -> n.endsWith(ext)), model + " " + ext + ": " + names);
                }
            }
        }
    }

    /** summary.json parsed, with its experiment name and model ids checked. */
    static JsonNode summary(Path dir, String experiment, List<String> modelIds) throws IOException {
        JsonNode json = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(experiment, json.get("experiment").asText());
        assertEquals(modelIds.size(), json.get("models").size());
        for (int i = 0; i < modelIds.size(); i++) {
            assertEquals(modelIds.get(i), json.get("models").get(i).get("id").asText());
        }
        return json;
    }
}
