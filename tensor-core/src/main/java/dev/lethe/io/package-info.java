/**
 * Reading and writing tensors: the safetensors format (interoperable with PyTorch's
 * {@code safetensors} package) and training checkpoints built on it. Every write is atomic:
 * a crash or an error mid-write leaves the previous file as it was.
 */
package dev.lethe.io;
