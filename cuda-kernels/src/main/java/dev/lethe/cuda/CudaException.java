package dev.lethe.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;

/**
 * A CUDA driver or cuBLAS call that did not succeed. The message names the call with its
 * arguments and the status, e.g. {@code cuMemAlloc(4096 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (2)}.
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;

    private CudaException(String call, int status, String statusName) {
        super(call + " failed: " + statusName + " (" + status + ")");
        this.call = call;
        this.status = status;
    }

    /**
     * Returns quietly on {@code CUDA_SUCCESS}.
     *
     * @param result what a {@code cu*} call returned
     * @param call   the call and its arguments, for the message
     * @throws CudaException otherwise
     */
    public static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) throw new CudaException(call, result, CUresult.stringFor(result));
    }

    /**
     * Returns quietly on {@code CUBLAS_STATUS_SUCCESS}.
     *
     * @param status what a {@code cublas*} call returned
     * @throws CudaException otherwise
     */
    public static void checkCublas(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) throw new CudaException(call, status, cublasStatus.stringFor(status));
    }

    /** The call that failed, with its arguments. */
    public String call() {
        return call;
    }

    /** The CUresult or cublasStatus code. */
    public int status() {
        return status;
    }

    /** True for {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public boolean isOutOfMemory() {
        return status == CUresult.CUDA_ERROR_OUT_OF_MEMORY && call.startsWith("cu") && !call.startsWith("cublas");
    }
}
