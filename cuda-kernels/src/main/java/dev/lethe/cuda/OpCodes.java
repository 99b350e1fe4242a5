package dev.lethe.cuda;

import dev.lethe.backend.BinaryOp;
import dev.lethe.backend.ReduceOp;
import dev.lethe.backend.UnaryOp;

/**
 * The op codes of {@code lethe.cuh} for tensor-core's op enums. Exhaustive switches: an op
 * added to an enum without a kernel code does not compile.
 */
final class OpCodes {
    private OpCodes() {}

    static int of(UnaryOp op) {
        return switch (op) {
            case IDENTITY -> 0;
            case NEG -> 1;
            case SCALE_SHIFT -> 2;
            case EXP -> 3;
            case LOG -> 4;
            case SQRT -> 5;
            case ABS -> 6;
            case RELU -> 7;
            case SIGMOID -> 8;
            case TANH -> 9;
            case GELU -> 10;
            case GELU_GRAD -> 11;
            case STEP -> 12;
            case SIGN -> 13;
            case POW -> 14;
            case CLAMP -> 15;
            case IN_RANGE -> 16;
        };
    }

    static int of(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case GT -> 6;
            case GE -> 7;
            case LT -> 8;
            case LE -> 9;
            case EQ -> 10;
            case NE -> 11;
        };
    }

    static int of(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MAX -> 1;
            case MIN -> 2;
        };
    }
}
