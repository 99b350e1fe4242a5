/**
 * Reverse-mode automatic differentiation: the graph nodes, the iterative backward walk, {@code NoGrad} and gradient hooks.
 */
package dev.lethe.autograd;
