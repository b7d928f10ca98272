package org.dl4jinvariance.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jinvariance.action.ImageActions;
import org.dl4jinvariance.data.Datasets;
import org.dl4jinvariance.field.EquivariantLayer;
import org.dl4jinvariance.field.FieldType;
import org.dl4jinvariance.group.Groups;
import org.dl4jinvariance.testing.TestNetworks;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Where ρ comes from (a layer configuration implementing {@link EquivariantLayer}, carried through
 * global pooling) and flat [B, 784] batches for {@code convolutionalFlat} networks.
 */
class FieldAndInputResolutionTest {

    /** A convolution configuration that declares its output to be 2 regular C4 fields (8 channels). */
    static final class DeclaringConvolution extends ConvolutionLayer implements EquivariantLayer {
        DeclaringConvolution() {
            super(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU));
        }

        @Override
        public FieldType outputField() {
            return FieldType.regular(Groups.c4(), 2);
        }
    }

    @Test
    void declaredFieldTypesAreUsedAndSurviveGlobalPooling() {
        ConvolutionLayer declaring = new DeclaringConvolution();
        declaring.setLayerName("conv");
        MultiLayerNetwork withDeclaration = TestNetworks.withGlobalPoolingHead(17, declaring, InputType.convolutional(28, 28, 1));
        ConvolutionLayer plainConv = new ConvolutionLayer.Builder(3, 3).name("conv").nOut(8).activation(Activation.RELU).build();
        MultiLayerNetwork plain = TestNetworks.withGlobalPoolingHead(17, plainConv, InputType.convolutional(28, 28, 1));
        plain.setParams(withDeclaration.params());

        InvarianceEvaluator.Builder c4 = InvarianceEvaluator.builder()
                .inputAction(ImageActions.rotation(Groups.c4())).layers("conv", "pool").maxExamples(32);
        InvarianceReport declared = c4.build().evaluate(withDeclaration, Datasets.mnist().iterator(32, 0, 32));
        InvarianceReport overridden = c4.fieldType("conv", FieldType.regular(Groups.c4(), 2))
                .fieldType("pool", FieldType.regular(Groups.c4(), 2)).build()
                .evaluate(plain, Datasets.mnist().iterator(32, 0, 32));
        InvarianceReport spatial = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.c4()))
                .layers("conv", "pool").maxExamples(32).build().evaluate(plain, Datasets.mnist().iterator(32, 0, 32));
        for (String layer : new String[] {"conv", "pool"}) {
            assertTrue(declared.get(layer, MetricKeys.EQUIVARIANCE).isApplicable(), layer);
            assertEquals(overridden.get(layer, MetricKeys.EQUIVARIANCE).mean(), declared.get(layer, MetricKeys.EQUIVARIANCE).mean(),
                    1e-6, layer);
        }
        // plain maps default to spatial(C4) (pooled: trivial), a different ρ, so different numbers
        assertNotEquals(spatial.get("conv", MetricKeys.EQUIVARIANCE).mean(), declared.get("conv", MetricKeys.EQUIVARIANCE).mean(), 1e-4);
        assertTrue(spatial.get("pool", MetricKeys.EQUIVARIANCE).isApplicable(), "a pooled spatial field is trivial, so known");
    }

    @Test
    void flatBatchesWorkForConvolutionalFlatNetworks() {
        ConvolutionLayer conv = new ConvolutionLayer.Builder(3, 3).name("conv").nOut(4).activation(Activation.RELU).build();
        MultiLayerNetwork images = TestNetworks.withGlobalPoolingHead(17, conv.clone(), InputType.convolutional(28, 28, 1));
        MultiLayerNetwork flat = TestNetworks.withGlobalPoolingHead(17, conv.clone(), InputType.convolutionalFlat(28, 28, 1));
        flat.setParams(images.params());
        DataSetIterator flatData = Datasets.mnist().iterator(20, 0, 40);
        flatData.setPreProcessor(ds -> ds.setFeatures(ds.getFeatures().reshape(ds.numExamples(), 784)));

        InvarianceEvaluator ev = InvarianceEvaluator.builder().inputAction(ImageActions.rotation(Groups.d4())).maxExamples(40).build();
        InvarianceReport a = ev.evaluate(images, Datasets.mnist().iterator(20, 0, 40));
        InvarianceReport b = ev.evaluate(flat, flatData);
        assertEquals("flat(rotation(D4))", b.settings().get("action"));
        for (String key : new String[] {MetricKeys.INVARIANCE, MetricKeys.EQUIVARIANCE_NORMALIZED}) {
            assertEquals(a.get("conv", key).mean(), b.get("conv", key).mean(), 1e-6, key);
        }
        assertEquals(a.get("output", MetricKeys.ACCURACY).mean(), b.get("output", MetricKeys.ACCURACY).mean(), 1e-9);
    }
}
