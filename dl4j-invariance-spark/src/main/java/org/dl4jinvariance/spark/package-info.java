/** Invariance and equivariance evaluation on Apache Spark. */
package org.dl4jinvariance.spark;
