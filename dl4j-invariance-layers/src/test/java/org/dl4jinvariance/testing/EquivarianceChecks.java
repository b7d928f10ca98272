package org.dl4jinvariance.testing;

import java.util.List;
import java.util.function.Function;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.GroupAction;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-layer equivariance errors of a MultiLayerNetwork, layer by layer and element by element, for
 * tests that need more than {@code EquivarianceAssert}'s pass/fail (negative controls, per-layer
 * tolerances, interpolated groups).
 */
public final class EquivarianceChecks {

    private EquivarianceChecks() {
    }

    /** max |a − b| in double precision. */
    public static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /**
     * The field of each layer's output: the layer's own {@link EquivariantLayer#outputField()}
     * where its configuration declares one, otherwise {@code standardLayers.apply(layerIndex)}.
     */
    public static FieldType[] fields(MultiLayerNetwork net, Function<Integer, FieldType> standardLayers) {
        int n = net.getnLayers();
        FieldType[] out = new FieldType[n];
        for (int i = 0; i < n; i++) {
            var layer = net.getLayerWiseConfigurations().getConf(i).getLayer();
            out[i] = layer instanceof EquivariantLayer e ? e.outputField() : standardLayers.apply(i);
        }
        return out;
    }

    /** Per layer i: max |f_i(g·x) − ρ_i(g) f_i(x)| for the one element g, with ρ_i = {@code fields[i]}. */
    public static double[] layerErrors(MultiLayerNetwork net, FieldType[] fields, GroupAction act, int g, INDArray x) {
        List<INDArray> base = net.feedForward(x, false);
        List<INDArray> moved = net.feedForward(act.apply(g, x), false);
        double[] errors = new double[fields.length];
        for (int i = 0; i < fields.length; i++) {
            errors[i] = maxAbsDiff(moved.get(i + 1), fields[i].apply(g, base.get(i + 1)));
        }
        return errors;
    }
}
