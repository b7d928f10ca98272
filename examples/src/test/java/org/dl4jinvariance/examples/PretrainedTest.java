package org.dl4jinvariance.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.metric.MetricKeys;
import org.dl4jinvariance.metric.MetricValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

class PretrainedTest {

    private static final List<String> MODELS = List.of(Pretrained.PRETRAINING, "scratch", "fine-tuned",
            "scratch-augmented", "fine-tuned-augmented");

    @Test
    void tinyRunWritesEveryFileAndFineTuningStartsFromThePretrainedBody(@TempDir Path dir) throws IOException {
        Pretrained experiment = new Pretrained();
        experiment.options.epochs = 1;
        experiment.options.trainSize = 300;
        experiment.options.evalSize = 100;
        experiment.options.out = dir;
        experiment.options.overwrite = true; // write in dir itself, not a dated sub-folder
        experiment.pretrainEpochs = 1;
        experiment.pretrainSize = 300;
        Summary summary = experiment.run();

        ExperimentFiles.assertWritten(dir, List.of("summary.json", "index.html", "invariance-profile.png",
                "curves-invariance.png", "curves-prediction-kl.png"), MODELS);
        JsonNode json = ExperimentFiles.summary(dir, "pretrained", MODELS);
        assertEquals(1, json.get("settings").get("pretrainEpochs").asInt());
        assertEquals(300, json.get("settings").get("pretrainSize").asInt());
        assertEquals(2, json.get("curves").size());
        JsonNode gap = json.get("models").get(2).get("reports").get(Summary.FASHION).get("values").get("gap");
        assertTrue(gap.has(MetricKeys.INVARIANCE_NORMALIZED), gap.toString());
        assertFalse(gap.has(MetricKeys.EQUIVARIANCE), "equivariance is not measured here: " + gap);

        // The fine-tuned run's epoch 0 is the pretrained body with a new head: below the head it
        // measures exactly what the pretraining measured at its end.
        String pretrainedTitle = "pretrained on Fashion-MNIST";
        Summary.Entry pretraining = summary.entries().get(0);
        MetricValue end = Summary.value(pretraining, Summary.MNIST, Pretrained.CURVE_LAYER,
                MetricKeys.INVARIANCE_NORMALIZED);
        Path curves = dir.resolve("summary.json");
        JsonNode values = json.get("curves").get(0).get("values");
        double pretrainEnd = values.get(pretrainedTitle).get(Summary.MNIST).get("0").get("mean").asDouble();
        double fineTunedStart = values.get("fine-tuned from Fashion").get(Summary.MNIST).get("0").get("mean").asDouble();
        double scratchStart = values.get("from scratch").get(Summary.MNIST).get("0").get("mean").asDouble();
        assertEquals(end.mean(), pretrainEnd, 1e-12, curves.toString());
        assertEquals(pretrainEnd, fineTunedStart, 1e-9);
        assertNotEquals(scratchStart, fineTunedStart, 1e-6);
        assertTrue(values.get(pretrainedTitle).get(Summary.MNIST).has("-1"), "pretraining epochs count up to 0");

        String table = summary.table();
        for (String expected : List.of("fine-tuned from Fashion + C4 aug.", "MNIST acc. (all C4)", "by epoch",
                "pretrainEpochs 1")) {
            assertTrue(table.contains(expected), expected + " in\n" + table);
        }
    }

    @Test
    void copyBodyTakesEveryLayerButTheOutput() {
        MultiLayerNetwork from = Cnns.plain(1);
        MultiLayerNetwork to = Cnns.plain(2);
        org.nd4j.linalg.api.ndarray.INDArray outputBefore = to.getLayer("output").params().dup();
        Pretrained.copyBody(from, to);
        assertEquals(from.getLayer("conv1").params(), to.getLayer("conv1").params());
        assertEquals(from.getLayer("dense").params(), to.getLayer("dense").params());
        assertEquals(outputBefore, to.getLayer("output").params());
        assertNotEquals(from.getLayer("output").params(), to.getLayer("output").params());
        assertThrows(IllegalArgumentException.class, () -> Pretrained.copyBody(Cnns.c4Equivariant(1), to));
    }

    @Test
    void badPretrainingSizeIsNamed() {
        Pretrained experiment = new Pretrained();
        experiment.options.trainSize = 300;
        experiment.options.evalSize = 100;
        experiment.pretrainSize = 20_000;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, experiment::run);
        assertTrue(e.getMessage().contains("--pretrain-size") && e.getMessage().contains("20000"), e.getMessage());
    }
}
