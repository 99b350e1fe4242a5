/**
 * The plain float64 reference kernels every fast kernel is tested against; float64 tensors run on these.
 */
package dev.lethe.reference;
