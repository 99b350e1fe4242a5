/**
 * The unlearning kernels, over lists of float32 tensors (a model's parameters or gradients)
 * seen as one flattened vector: top-k selection in O(n) ({@link dev.lethe.surgery.TopK}),
 * saliency masks ({@link dev.lethe.surgery.SaliencyMask}), magnitude pruning ({@link
 * dev.lethe.surgery.MagnitudePruning}) and the named masks that hold them during training
 * ({@link dev.lethe.surgery.ParameterMasks}), gradient surgery ({@link
 * dev.lethe.surgery.GradientSurgery}), the Fisher diagonal ({@link
 * dev.lethe.surgery.FisherDiagonal}) with selective synaptic dampening ({@link
 * dev.lethe.surgery.SelectiveSynapticDampening}), and WAGLE's score ({@link
 * dev.lethe.surgery.Wagle}). Each fast kernel is a Vector API pass with a plain reference in
 * {@link dev.lethe.surgery.SurgeryReference}; results do not depend on the thread count.
 */
package dev.lethe.surgery;
