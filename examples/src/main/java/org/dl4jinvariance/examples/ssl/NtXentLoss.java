package org.dl4jinvariance.examples.ssl;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * SimCLR's normalized temperature-scaled cross entropy (NT-Xent) as a DL4J loss.
 *
 * <p>The minibatch holds 2N embeddings h in pairs: rows 2k and 2k+1 are two views of the same
 * image (labels are ignored). With z_i = h_i / ‖h_i‖ and s_ij = z_i·z_j / τ, the loss of anchor i
 * with positive p(i) is
 * <pre>  ℓ_i = −s_{i,p(i)} + log Σ_{k≠i} exp(s_ik)</pre>
 * and the score is the mean of ℓ_i over the 2N anchors. Its gradient: with P_ik the softmax of
 * s_i· over k ≠ i and G = P − [k = p(i)], dL/dz_i = (1/τ) Σ_j (G_ij + G_ji) z_j, and
 * dL/dh_i = (I − z_i z_iᵀ) dL/dz_i / ‖h_i‖.
 */
public final class NtXentLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    private final double temperature;

    /** NT-Xent with temperature τ = 0.5. */
    public NtXentLoss() {
        this(0.5);
    }

    public NtXentLoss(@JsonProperty("temperature") double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("NT-Xent temperature must be > 0, got " + temperature);
        }
        this.temperature = temperature;
    }

    @JsonProperty
    public double getTemperature() {
        return temperature;
    }

    /** Per-anchor losses ℓ_i as a column [2N, 1]. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(preOutput, activationFn);
        return t.perAnchor.reshape(t.perAnchor.length(), 1);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray perAnchor = terms(preOutput, activationFn).perAnchor;
        double sum = perAnchor.sumNumber().doubleValue();
        return average ? sum / perAnchor.length() : sum;
    }

    /** Gradient of Σ_i ℓ_i with respect to the pre-activations (DL4J divides by the batch size). */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Terms t = terms(preOutput, activationFn);
        INDArray g = t.softmax.sub(t.positives);                        // G = P − positives
        INDArray dLdz = g.add(g.transpose()).mmul(t.z).divi(temperature);
        // Project out the radial part and undo the normalization: (I − z zᵀ) dL/dz / ‖h‖.
        INDArray radial = dLdz.mul(t.z).sum(true, 1);
        INDArray dLdh = dLdz.sub(t.z.mulColumnVector(radial)).diviColumnVector(t.norms);
        INDArray out = dLdh.castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), out).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** z, norms, the softmax over k ≠ i, the positive-pair indicator and per-anchor losses. */
    private Terms terms(INDArray preOutput, IActivation activationFn) {
        long rows = preOutput.size(0);
        if (preOutput.rank() != 2 || rows < 2 || rows % 2 != 0) {
            throw new IllegalArgumentException("NT-Xent needs a [2N, d] batch of paired views (rows 2k, 2k+1), got shape "
                    + java.util.Arrays.toString(preOutput.shape()));
        }
        INDArray h = activationFn.getActivation(preOutput.dup(), true).castTo(DataType.DOUBLE);
        INDArray norms = h.norm2(true, 1).addi(1e-12);
        INDArray z = h.divColumnVector(norms);
        INDArray s = z.mmul(z.transpose()).divi(temperature);
        INDArray positives = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, rows, rows);
        INDArray logits = s.dup();
        for (int i = 0; i < rows; i++) {
            positives.putScalar(i, i ^ 1, 1.0);                         // 2k ↔ 2k+1
            logits.putScalar(i, i, Double.NEGATIVE_INFINITY);           // k ≠ i
        }
        INDArray rowMax = s.max(true, 1);
        INDArray exp = Transforms.exp(logits.subColumnVector(rowMax), false);
        INDArray sumExp = exp.sum(true, 1);
        INDArray softmax = exp.divColumnVector(sumExp);
        INDArray logSumExp = Transforms.log(sumExp, false).addi(rowMax);
        INDArray positive = s.mul(positives).sum(true, 1);
        INDArray perAnchor = logSumExp.sub(positive).reshape(rows);
        return new Terms(z, norms, softmax, positives, perAnchor);
    }

    private record Terms(INDArray z, INDArray norms, INDArray softmax, INDArray positives, INDArray perAnchor) {
    }

    @Override
    public String name() {
        return toString();
    }

    @Override
    public String toString() {
        return "NtXentLoss(temperature=" + temperature + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NtXentLoss other && Double.compare(other.temperature, temperature) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(temperature);
    }
}
