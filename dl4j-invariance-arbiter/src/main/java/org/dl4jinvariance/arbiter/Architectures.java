package org.dl4jinvariance.arbiter;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.dl4jinvariance.field.EquivariantLayer;

/** Short readable summaries of a candidate's convolutions, e.g. {@code C4 lift 8 → C4 gconv 16 → gpool max}. */
final class Architectures {

    private Architectures() {
    }

    /** The summary of an Arbiter candidate value (DL4JConfiguration or GraphConfiguration). */
    static String describe(Object candidateValue) {
        List<Layer> layers = new ArrayList<>();
        if (candidateValue instanceof DL4JConfiguration c) {
            MultiLayerConfiguration conf = c.getMultiLayerConfiguration();
            for (NeuralNetConfiguration nnc : conf.getConfs()) {
                layers.add(nnc.getLayer());
            }
        } else if (candidateValue instanceof GraphConfiguration g) {
            for (GraphVertex v : g.getConfiguration().getVertices().values()) {
                if (v instanceof LayerVertex lv) {
                    layers.add(lv.getLayerConf().getLayer());
                }
            }
        } else {
            return String.valueOf(candidateValue);
        }
        List<String> parts = new ArrayList<>();
        for (Layer l : layers) {
            String d = describe(l);
            if (d != null) {
                parts.add(d);
            }
        }
        return parts.isEmpty() ? "(no convolutions)" : String.join(" → ", parts);
    }

    /** The group of the candidate's first group layer, or {@link GroupSpace#PLAIN}. */
    static String group(Object candidateValue) {
        List<Layer> layers = new ArrayList<>();
        if (candidateValue instanceof DL4JConfiguration c) {
            c.getMultiLayerConfiguration().getConfs().forEach(n -> layers.add(n.getLayer()));
        } else if (candidateValue instanceof GraphConfiguration g) {
            g.getConfiguration().getVertices().values().forEach(v -> {
                if (v instanceof LayerVertex lv) {
                    layers.add(lv.getLayerConf().getLayer());
                }
            });
        }
        for (Layer l : layers) {
            if (l instanceof EquivariantLayer eq && eq.group().isPresent()) {
                return eq.group().get().name();
            }
        }
        return GroupSpace.PLAIN;
    }

    private static String describe(Layer l) {
        if (l instanceof EquivariantLayer eq) {
            return eq.summary();
        }
        if (l instanceof ConvolutionLayer c && c.getClass() == ConvolutionLayer.class) {
            return "conv " + c.getNOut() + kernel(c.getKernelSize());
        }
        return null;
    }

    private static String kernel(int[] k) {
        return " " + k[0] + "×" + k[1];
    }
}
