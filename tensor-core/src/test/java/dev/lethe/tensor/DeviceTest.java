package dev.lethe.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device names and the errors for devices that cannot be used. */
class DeviceTest {
    @Test
    void parsesAndPrintsDeviceNames() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(1), Device.parse(" CUDA:1 "));
        assertEquals("cuda:1", Device.cuda(1).toString());
        assertEquals("cpu", Device.cpu().toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x")).getMessage().contains("expected cpu, cuda or cuda:N"));
        assertThrows(IllegalArgumentException.class, () -> Device.cuda(-1));
        assertThrows(IllegalArgumentException.class, () -> new Device("cpu", 1));
    }

    @Test
    void cudaWithoutItsJarSaysSoAndTheCpuPathIsUntouched() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.to(Device.cuda(0)));
        assertEquals("no CUDA device: the cuda-kernels jar is not on the class path", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(DType.FLOAT32, Device.cuda(0), 3));
        assertTrue(x.to(Device.CPU) == x, "to(cpu) of a CPU tensor is the tensor itself");
        assertEquals(Device.CPU, x.device());
        assertEquals(Device.CPU, x.add(1).device());
    }

    @Test
    void aProviderWhoseDevicesDoNotAnswerGivesItsReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.ones(2).to(new Device("offdev", 0)));
        assertEquals("no offdev device: switched off for the test", e.getMessage());
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> Tensor.ones(2).to(new Device("testdev", 5)));
        assertEquals("no testdev device testdev:5: this machine has 2", e2.getMessage());
    }
}
