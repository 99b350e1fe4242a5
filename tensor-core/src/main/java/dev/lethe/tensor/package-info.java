/**
 * Tensors: dtype, shape, strides and offset over flat storage; views; factories and seeded random numbers.
 */
package dev.lethe.tensor;
