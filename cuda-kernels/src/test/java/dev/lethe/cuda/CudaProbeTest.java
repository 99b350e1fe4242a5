package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe answers on every machine, with or without a GPU, and never throws. */
class CudaProbeTest {
    @Test
    void answersOnceWithAReasonWhenUnavailable() {
        CudaProbe.Answer a = CudaProbe.answer();
        assertSame(a, CudaProbe.answer(), "the answer is cached");
        if (a.available()) {
            assertTrue(a.deviceCount() > 0);
            assertEquals("", a.reason());
            assertFalse(a.device().isEmpty());
        } else {
            assertEquals(0, a.deviceCount());
            assertFalse(a.reason().isBlank(), "an unavailable answer says why");
            IllegalStateException e = assertThrows(IllegalStateException.class, CudaProbe::require);
            assertEquals("no CUDA device: " + a.reason(), e.getMessage());
            assertThrows(IllegalStateException.class, () -> CudaContext.of(0));
        }
    }

    @Test
    void explainsAMissingDriverPlainly() {
        String r = CudaProbe.explain(new UnsatisfiedLinkError(
                "/tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory"));
        assertTrue(r.startsWith("no libcuda.so.1: the NVIDIA driver is not installed"), r);
        assertTrue(CudaProbe.explain(new NoClassDefFoundError("jcuda/driver/JCudaDriver")).contains("JCuda jar"));
        assertTrue(CudaProbe.explain(new RuntimeException("boom", new UnsatisfiedLinkError("other"))).startsWith("JCuda's native driver binding"));
    }
}
