package dev.lethe.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java list of kernels and the committed PTX agree, entry for entry; PTX images are NUL-terminated. */
class KernelCatalogTest {
    @Test
    void everyListedKernelIsAPtxEntryAndEveryEntryIsListed() {
        Set<String> modules = new TreeSet<>();
        for (Kernel k : Kernel.values()) modules.add(k.module());
        Set<String> inPtx = new TreeSet<>(), listed = new TreeSet<>();
        for (String m : modules) {
            for (String e : PtxModule.entries(new String(PtxModule.text(m), StandardCharsets.US_ASCII))) inPtx.add(m + "/" + e);
        }
        for (Kernel k : Kernel.values()) listed.add(k.module() + "/" + k.entry());
        assertEquals(inPtx, listed);
    }

    @Test
    void findsEntriesInPtxText() {
        String ptx = ".visible .entry unary_f32(\n .param .u64 a\n)\n.visible .entry  binary_f32 (\n";
        assertEquals(List.of("unary_f32", "binary_f32"), PtxModule.entries(ptx));
    }

    @Test
    void aPtxImageEndsWithExactlyOneNul() {
        byte[] text = ".version 9.0".getBytes(StandardCharsets.US_ASCII);
        byte[] image = PtxModule.nulTerminated(text);
        assertEquals(text.length + 1, image.length);
        assertEquals(0, image[image.length - 1]);
        assertSame(image, PtxModule.nulTerminated(image), "already terminated: unchanged");
        assertArrayEquals(new byte[] {0}, PtxModule.nulTerminated(new byte[0]));
    }

    @Test
    void aMissingModuleIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PtxModule.text("nope"));
        assertTrue(e.getMessage().contains("/dev/lethe/cuda/ptx/nope.ptx"), e.getMessage());
    }
}
