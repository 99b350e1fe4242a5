package dev.lethe.cuda;

import dev.lethe.backend.Devices;
import dev.lethe.tensor.Device;
import dev.lethe.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * With this jar on the class path tensor-core finds the cuda provider through ServiceLoader;
 * on a machine without a GPU a CUDA tensor is refused with the probe's reason and the CPU path
 * is untouched.
 */
class CudaDeviceProviderTest {
    @Test
    void withoutAGpuCudaIsRefusedWithTheProbesReason() {
        assumeFalse(CudaProbe.available(), "a GPU answers here; GpuChecksTest covers this machine");
        String expected = "no CUDA device: " + CudaProbe.reason();
        assertEquals(expected, Devices.unavailableReason(Device.cuda(0)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(3).to(Device.cuda(0)));
        assertEquals(expected, e.getMessage());
        assertEquals(expected, assertThrows(IllegalStateException.class, () -> CudaBackend.of(0)).getMessage());
        Tensor x = Tensor.arange(4);
        assertArrayEquals(new float[] {0, 2, 4, 6}, x.add(x).toFloatArray());
        assertEquals(Device.CPU, x.add(x).device());
    }

    @Test
    void theProviderIsFoundAndSpeaksForCuda() {
        CudaDeviceProvider p = new CudaDeviceProvider();
        assertEquals("cuda", p.type());
        assertEquals(CudaProbe.available(), p.available());
        assertEquals(CudaProbe.available(), Devices.available(Device.cuda(0)));
        if (!p.available()) {
            // The message names the probe's reason, not the missing jar: ServiceLoader found this provider.
            assertEquals("no CUDA device: " + CudaProbe.reason(), Devices.unavailableReason(Device.cuda(0)));
        }
    }
}
