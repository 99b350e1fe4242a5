/**
 * UA, RA, TA, per-class test accuracy and MIA-efficacy (UNLEARNING.md §4):
 * {@link dev.lethe.unlearn.metrics.Evaluator} measures a model on a request; the
 * membership-inference attacker is LIBSVM's RBF SVM ({@link dev.lethe.unlearn.metrics.RbfSvm}).
 */
package dev.lethe.unlearn.metrics;
