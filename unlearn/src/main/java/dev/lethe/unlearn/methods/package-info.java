/**
 * The unlearning methods of UNLEARNING.md §1, each a {@link dev.lethe.unlearn.Method} whose
 * {@code unlearn} reads like its definition, and the machinery they share.
 *
 * <p>Methods ({@link dev.lethe.unlearn.methods.Methods} makes each by name with its defaults):
 * {@link dev.lethe.unlearn.methods.Retrain retrain}, {@link dev.lethe.unlearn.methods.FineTune ft},
 * {@link dev.lethe.unlearn.methods.GradientAscent ga}, {@link dev.lethe.unlearn.methods.GradDiff graddiff},
 * {@link dev.lethe.unlearn.methods.RandomLabel rl}, {@link dev.lethe.unlearn.methods.L1Sparse l1sparse},
 * {@link dev.lethe.unlearn.methods.SalUn salun}, {@link dev.lethe.unlearn.methods.Ssd ssd},
 * {@link dev.lethe.unlearn.methods.Scrub scrub}, {@link dev.lethe.unlearn.methods.BadTeacher badteacher},
 * {@link dev.lethe.unlearn.methods.GradientSurgeryUnlearning surgery},
 * {@link dev.lethe.unlearn.methods.WagleGradDiff wagle}.
 *
 * <p>Shared machinery, written once: {@link dev.lethe.unlearn.methods.TrainingLoop} (the loop
 * every iterative method runs), {@link dev.lethe.unlearn.methods.BatchLoss} (a batch's loss),
 * {@link dev.lethe.unlearn.methods.SgdSettings} (epochs, lr, momentum, weight decay, batch),
 * {@link dev.lethe.unlearn.methods.Batches} (seeded shuffles, forget/retain pairs, samples,
 * random labels), {@link dev.lethe.unlearn.methods.Gradients} (gradients at fixed weights),
 * {@link dev.lethe.unlearn.methods.Distillation} (KL with temperature) and
 * {@link dev.lethe.unlearn.methods.Sparsity} (prune-then-unlearn: OMP masks, w⊙m held through
 * training). The masks, top-k, Fisher/SSD, gradient-surgery and WAGLE kernels are the engine's
 * ({@code dev.lethe.surgery}).
 *
 * <p>Every method starts from a copy of θ0 (never modifying {@code ctx.original()}), draws its
 * randomness from streams seeded by {@code ctx.seed()} and a name, and keeps the context's
 * sparsity mask: the result is a pure function of the context, bit for bit, on any number of
 * threads.
 */
package dev.lethe.unlearn.methods;
