namespace PneumoniaPortal.Core.Settings;

/// <summary>
/// What one image costs a network built from an <see cref="ArchitectureSpec"/>, counted from the spec alone (nothing
/// is allocated, so an absurd spec costs nothing to price): weights, multiply-adds of the forward pass, and the values
/// its layers output (what element-wise layers read and write, and what training keeps for the backward pass).
/// </summary>
/// <param name="Parameters">Trainable weights and biases.</param>
/// <param name="ForwardMacs">Multiply-adds of one forward pass of one image (convolutions and dense layers).</param>
/// <param name="ActivationValues">Values all layers output for one image (convolutions, normalisations, activations, pools).</param>
public sealed record NetworkCost(double Parameters, double ForwardMacs, double ActivationValues)
{
    /// <summary>A training step costs about three forward passes: the forward one and twice that backward.</summary>
    public double TrainingMacs => 3 * ForwardMacs;

    /// <summary>
    /// Memory one training batch needs: every layer's output kept for the backward pass and its gradient (float32),
    /// plus weights, their gradients and two optimizer moments.
    /// </summary>
    public double BatchMemoryBytes(int batchSize) => batchSize * ActivationValues * 4 * 2 + Parameters * 4 * 4;

    /// <summary>Counts the network exactly as <c>PneumoniaNet</c> builds it (the Training tests hold the two together).</summary>
    public static NetworkCost Of(ArchitectureSpec spec)
    {
        double parameters = 0, macs = 0, values = 0;
        double channels = spec.Channels, size = spec.InputSize;

        // A convolution with "same" padding (kernel/2) and this stride; batch norm adds 2 weights per filter, else a bias.
        void Conv(double filters, int kernel, int stride, bool batchNorm, bool activation)
        {
            var outSize = Math.Floor((size + 2 * (kernel / 2) - kernel) / stride) + 1;
            var outputs = filters * outSize * outSize;
            parameters += kernel * kernel * channels * filters + (batchNorm ? 2 * filters : filters);
            macs += outputs * kernel * kernel * channels;
            values += outputs * ((batchNorm ? 2 : 1) + (activation ? 1 : 0));
            channels = filters;
            size = outSize;
        }

        void Pool(int kernel, int stride, int padding)
        {
            size = Math.Floor((size + 2 * padding - kernel) / stride) + 1;
            values += channels * size * size;
        }

        if (spec.StemFilters > 0)
        {
            if (spec.Family == ArchitectureFamily.ResNet)
            {
                Conv(spec.StemFilters, 7, 2, batchNorm: true, activation: true);
                Pool(3, 2, 1);
            }
            else
                Conv(spec.StemFilters, 3, 2, batchNorm: true, activation: true);
        }
        foreach (var block in spec.Blocks)
        {
            if (spec.Family == ArchitectureFamily.ResNet)
                for (var i = 1; i <= block.Convs; i++)
                {
                    var stride = i == 1 && block.Downsample ? 2 : 1;
                    var inChannels = channels;
                    Conv(block.Filters, block.Kernel, stride, batchNorm: true, activation: true);
                    Conv(block.Filters, block.Kernel, 1, batchNorm: true, activation: false);
                    var shortcut = stride != 1 || inChannels != block.Filters;
                    if (shortcut)
                    {
                        var outputs = block.Filters * size * size;
                        parameters += inChannels * block.Filters + 2 * block.Filters;
                        macs += outputs * inChannels;
                        values += 2 * outputs;
                    }
                    values += 2 * block.Filters * size * size; // the sum and the activation after it
                }
            else
            {
                for (var c = 1; c <= block.Convs; c++) Conv(block.Filters, block.Kernel, 1, block.BatchNorm, activation: true);
                if (block.Downsample) Pool(2, 2, 0);
            }
            if (block.Dropout > 0) values += channels * size * size;
        }

        var features = spec.Head == HeadKind.GlobalAveragePool ? channels : channels * size * size;
        if (spec.Head == HeadKind.GlobalAveragePool) values += channels;
        foreach (var units in spec.DenseUnits)
        {
            parameters += features * units + units;
            macs += features * units;
            values += 2 * units + (spec.DenseDropout > 0 ? units : 0);
            features = units;
        }
        parameters += features + 1;
        macs += features;
        return new NetworkCost(parameters, macs, values + spec.Channels * (double)spec.InputSize * spec.InputSize);
    }
}
