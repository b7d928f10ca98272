package org.dl4jinvariance.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.dl4jinvariance.metric.MetricKey.Direction;
import org.dl4jinvariance.metric.MetricKeys;
import org.junit.jupiter.api.Test;

class MetricLabelTest {

    @Test
    void builtInKeysGetReadableNamesAndTheirTypedDirection() {
        MetricLabel invariance = MetricLabel.of(MetricKeys.INVARIANCE);
        assertEquals("Invariance deviation", invariance.label());
        assertEquals(Direction.LOWER_IS_BETTER, invariance.direction());
        assertEquals("lower is better", invariance.better());

        MetricLabel normalized = MetricLabel.of(MetricKeys.EQUIVARIANCE_NORMALIZED);
        assertEquals("Equivariance deviation, normalized", normalized.label());
        assertEquals(Direction.LOWER_IS_BETTER, normalized.direction());

        MetricLabel cosine = MetricLabel.of(MetricKeys.COSINE_SIMILARITY_RATIO);
        assertEquals("Cosine similarity ratio", cosine.label());
        assertEquals(Direction.HIGHER_IS_BETTER, cosine.direction());
        assertEquals("higher is better", cosine.better());
    }

    @Test
    void perElementAccuracyIsNamedAfterItsGroupElement() {
        MetricLabel rot90 = MetricLabel.of(MetricKeys.accuracyOf("rot90"));
        assertEquals("Accuracy on rot90·x", rot90.label());
        assertEquals(Direction.HIGHER_IS_BETTER, rot90.direction());
    }

    @Test
    void aUsersOwnMetricKeepsItsKeyAndClaimsNoDirection() {
        MetricLabel own = MetricLabel.of("myDistance");
        assertEquals("myDistance", own.label());
        assertNull(own.direction());
        assertEquals("direction unknown", own.better());
    }
}
