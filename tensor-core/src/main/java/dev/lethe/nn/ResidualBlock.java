package dev.lethe.nn;

import dev.lethe.tensor.Tensor;

/**
 * ResNet's basic block (He et al. 2016, torchvision's names):
 * y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), both convolutions 3×3 without
 * bias, conv1 with {@code stride}. The shortcut is the identity when the shape is kept, else
 * {@code downsample} = 1×1 convolution at {@code stride} + BatchNorm2d (a projection).
 */
public final class ResidualBlock extends Module {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;

    public ResidualBlock(int in, int out, int stride, long seed) {
        conv1 = registerModule("conv1", new Conv2d(in, out, 3, stride, 1, false, Init.derive(seed, 0)));
        bn1 = registerModule("bn1", new BatchNorm2d(out));
        conv2 = registerModule("conv2", new Conv2d(out, out, 3, 1, 1, false, Init.derive(seed, 1)));
        bn2 = registerModule("bn2", new BatchNorm2d(out));
        downsample = stride != 1 || in != out
                ? registerModule("downsample", new Sequential(new Conv2d(in, out, 1, stride, 0, false, Init.derive(seed, 2)), new BatchNorm2d(out)))
                : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = bn1.forward(conv1.forward(x)).relu();
        h = bn2.forward(conv2.forward(h));
        return h.add(downsample == null ? x : downsample.forward(x)).relu();
    }
}
