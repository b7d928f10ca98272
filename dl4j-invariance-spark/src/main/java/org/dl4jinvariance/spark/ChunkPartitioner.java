package org.dl4jinvariance.spark;

import org.apache.spark.Partitioner;

/**
 * Sends the pieces of chunk k (keyed by the global index of their first example) to partition
 * ⌊k·P / K⌋: contiguous runs of whole chunks per partition, K chunks over P partitions.
 */
final class ChunkPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int partitions;
    private final int chunks;
    private final int chunkSize;

    ChunkPartitioner(int partitions, int chunks, int chunkSize) {
        this.partitions = partitions;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        long chunk = (Long) key / chunkSize;
        return (int) (chunk * partitions / chunks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkPartitioner c && c.partitions == partitions && c.chunks == chunks && c.chunkSize == chunkSize;
    }

    @Override
    public int hashCode() {
        return (partitions * 31 + chunks) * 31 + chunkSize;
    }
}
