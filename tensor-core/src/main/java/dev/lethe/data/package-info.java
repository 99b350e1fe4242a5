/**
 * Data sets and their loading: IDX files (MNIST, Fashion-MNIST), the bundled Fashion-MNIST
 * subset, tensor-backed {@link dev.lethe.data.Dataset}s and the deterministic
 * {@link dev.lethe.data.DataLoader} whose batch order is a pure function of (seed, epoch).
 */
package dev.lethe.data;
