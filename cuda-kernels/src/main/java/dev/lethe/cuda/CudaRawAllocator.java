package dev.lethe.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** {@code cuMemAlloc}/{@code cuMemFree} in one device's context. */
final class CudaRawAllocator implements RawAllocator<CUdeviceptr> {
    private final CudaContext context;

    CudaRawAllocator(CudaContext context) {
        this.context = context;
    }

    @Override
    public CUdeviceptr allocate(long bytes) {
        context.makeCurrent();
        CUdeviceptr p = new DevicePointer();
        int r = JCudaDriver.cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return null;
        CudaException.check(r, "cuMemAlloc(" + bytes + " bytes)");
        return p;
    }

    @Override
    public void free(CUdeviceptr handle) {
        context.makeCurrent();
        CudaException.check(JCudaDriver.cuMemFree(handle), "cuMemFree");
    }
}
