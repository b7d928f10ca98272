package org.dl4jinvariance.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * A model zip written by DL4J's {@link ModelSerializer}, opened for {@code evaluate --model}.
 *
 * <p>The zip holds {@code configuration.json} (the network configuration) and
 * {@code coefficients.bin} (the parameters). A {@code ComputationGraph}'s configuration has a
 * top-level {@code "vertices"} field, a {@code MultiLayerNetwork}'s has none; that field decides
 * which restore method is called, so the user need not say. The updater state is not loaded:
 * evaluation never trains.
 *
 * <p>Refused with a {@link UsageException} naming the file, before anything is evaluated: a
 * missing file, a folder, a file that is no zip (a foreign file, or a zip cut short, whose
 * directory at the end is missing), a zip without {@code configuration.json} or
 * {@code coefficients.bin} (not a DL4J model), and a model that DL4J cannot restore.
 */
final class ModelFile {

    static final String OPTION = "--model";
    private static final String CONFIGURATION = "configuration.json";
    private static final String COEFFICIENTS = "coefficients.bin";
    private static final String EXPECTED = "expected a MultiLayerNetwork or ComputationGraph zip saved with DL4J's "
            + "ModelSerializer";

    /** Which of DL4J's two network classes a zip holds. */
    enum Kind {
        MULTI_LAYER_NETWORK, COMPUTATION_GRAPH
    }

    private final Path file;
    private final Kind kind;

    private ModelFile(Path file, Kind kind) {
        this.file = file;
        this.kind = kind;
    }

    /**
     * Checks that {@code file} is a DL4J model zip and reads which kind of network it holds
     * (the parameters are read by {@link #restore()}).
     *
     * @throws UsageException naming the file and what is wrong with it
     */
    static ModelFile open(Path file) {
        if (!Files.exists(file)) {
            throw refused(file, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw refused(file, "is a folder");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry(CONFIGURATION);
            if (conf == null || zip.getEntry(COEFFICIENTS) == null) {
                throw refused(file, "is a zip file but holds no " + (conf == null ? CONFIGURATION : COEFFICIENTS)
                        + ", so it is not a DL4J model");
            }
            JsonNode json;
            try (InputStream in = zip.getInputStream(conf)) {
                json = new ObjectMapper().readTree(in);
            }
            if (json == null || !json.isObject()) {
                throw refused(file, "its " + CONFIGURATION + " is not a JSON object");
            }
            return new ModelFile(file, json.has("vertices") ? Kind.COMPUTATION_GRAPH : Kind.MULTI_LAYER_NETWORK);
        } catch (IOException e) {
            // ZipException for a foreign file or a zip cut short; JSON errors for a broken configuration.
            throw refused(file, "cannot be read as a DL4J model zip (truncated or not a zip: " + e.getMessage() + ")");
        }
    }

    /**
     * The network, parameters restored, updater state left out.
     *
     * @throws UsageException when DL4J cannot restore it (e.g. coefficients that do not fit the configuration)
     */
    Model restore() {
        try {
            return kind == Kind.COMPUTATION_GRAPH ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw refused(file, "DL4J cannot restore the " + describe() + " in it (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")");
        }
    }

    Path file() {
        return file;
    }

    Kind kind() {
        return kind;
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    String describe() {
        return kind == Kind.COMPUTATION_GRAPH ? "ComputationGraph" : "MultiLayerNetwork";
    }

    /** The file name without .zip: the model's id in output folders and tables. */
    String id() {
        String name = file.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }

    private static UsageException refused(Path file, String why) {
        return new UsageException(OPTION + " " + file + ": " + why + "; " + EXPECTED);
    }
}
