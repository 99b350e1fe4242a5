/**
 * Neural-network building blocks over the engine's ops: {@link dev.lethe.nn.Module} (named
 * parameters and buffers, train/eval, state dicts), the layers, seeded initialisation
 * ({@link dev.lethe.nn.Init}) and a small model zoo ({@link dev.lethe.nn.Models}). Every
 * constructor takes a seed, so a model is a pure function of its seed.
 */
package dev.lethe.nn;
