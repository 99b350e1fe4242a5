/**
 * The kernel interface a device implements, the kernel vocabulary (unary, binary and
 * reduction operators with their scalar formulas), and the dispatch from a tensor to its backend.
 */
package dev.lethe.backend;
