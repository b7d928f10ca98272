package org.dl4jinvariance.layers;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Circular (wrap-around) padding of sequences [B, C, T] → [B, C, left + T + right]: the last
 * {@code left} steps are copied before the first, the first {@code right} after the last.
 * Followed by a {@code Convolution1DLayer} in {@code Truncate} mode with kernel
 * left + right + 1 (stride 1), the convolution is exactly equivariant to cyclic time shifts,
 * which zero padding ({@code Same}) breaks at the borders. Backward: the gradient of each
 * copied step is added back to the step it was copied from. Features masks [B, T] are padded
 * the same way, so the convolution that follows reads a mask of its own input length.
 *
 * <pre>{@code
 * .layer(new CircularPadding1D(2, 2))
 * .layer(new Convolution1DLayer.Builder().kernelSize(5).convolutionMode(ConvolutionMode.Truncate).nOut(16).build())
 * }</pre>
 */
public class CircularPadding1D extends NoParamLayer {

    private int left;
    private int right;

    /** For Jackson. */
    public CircularPadding1D() {
    }

    /**
     * @throws IllegalArgumentException for negative padding
     */
    public CircularPadding1D(int left, int right) {
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("CircularPadding1D: padding must be >= 0, got left = " + left
                    + ", right = " + right);
        }
        this.left = left;
        this.right = right;
    }

    public int getLeft() {
        return left;
    }

    public void setLeft(int left) {
        this.left = left;
    }

    public int getRight() {
        return right;
    }

    public void setRight(int right) {
        this.right = right;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        CircularPadding1DLayer layer = new CircularPadding1DLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
            throw new IllegalArgumentException(LayerChecks.describe("CircularPadding1D", getLayerName())
                    + " expects a recurrent input type [B, C, T], got " + inputType);
        }
        long length = r.getTimeSeriesLength();
        if (length > 0 && (left > length || right > length)) {
            throw new IllegalArgumentException(LayerChecks.describe("CircularPadding1D", getLayerName())
                    + ": padding (" + left + ", " + right + ") exceeds the sequence length " + length);
        }
        return InputType.recurrent(r.getSize(), length > 0 ? length + left + right : length, RNNFormat.NCW);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // no parameters
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, CircularPadding1D.class, inputType, out)
                .standardMemory(0, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CircularPadding1D c && super.equals(o) && c.left == left && c.right == right;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + left) + right;
    }

    @Override
    public CircularPadding1D clone() {
        return (CircularPadding1D) super.clone();
    }
}
