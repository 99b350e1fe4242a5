/**
 * Optimisers (SGD, Adam, AdamW) that update float32 parameters in place with plain,
 * deterministic loops and honour per-parameter 0/1 masks; learning-rate schedulers; gradient
 * clipping.
 */
package dev.lethe.optim;
