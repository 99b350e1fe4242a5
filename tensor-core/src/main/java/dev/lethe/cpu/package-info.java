/**
 * The float32 CPU kernels on the Vector API, and the deterministic parallel loop they share.
 */
package dev.lethe.cpu;
