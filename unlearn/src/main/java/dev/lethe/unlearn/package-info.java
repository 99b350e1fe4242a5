/**
 * Machine unlearning on top of the engine: a {@link dev.lethe.unlearn.Scenario} turns a
 * deletion request into a {@link dev.lethe.unlearn.ForgetSplit} (D_f, D_r, D_t), a
 * {@link dev.lethe.unlearn.Method} turns the original model and that split into an unlearned
 * model, and the metrics compare it with retraining from scratch on D_r. The methods and
 * metrics follow {@code shared/design/UNLEARNING.md}; every hyperparameter is a default the
 * caller can change.
 */
package dev.lethe.unlearn;
