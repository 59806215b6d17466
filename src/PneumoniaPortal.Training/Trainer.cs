using System.Diagnostics;
using PneumoniaPortal.Core.Dataset;
using PneumoniaPortal.Core.Metrics;
using PneumoniaPortal.Core.Runs;
using PneumoniaPortal.Core.Settings;
using PneumoniaPortal.Training.Data;
using PneumoniaPortal.Training.Models;
using PneumoniaPortal.Training.Native;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PneumoniaPortal.Training;

/// <summary>Where a run stands after each epoch, enough to continue it after a crash, restart or cancel.</summary>
public sealed record TrainerState(
    int CompletedEpochs,
    double LearningRate,
    double BestScore,
    int BestEpoch,
    int EpochsWithoutImprovement,
    int PlateauCount,
    double PlateauBest,
    List<EpochScore> TopCheckpoints,
    InputNormalization Normalization,
    string ConfigJson);

public sealed record EpochScore(int Epoch, double Score);

/// <summary>Options of one training call that are not part of the run's settings.</summary>
public sealed record TrainerOptions
{
    public string? CacheDirectory { get; init; }
    public IProgress<EpochMetrics>? Epochs { get; init; }
    public IProgress<BatchProgress>? Batches { get; init; }
    /// <summary>Status lines such as "Decoding images" or "Resuming at epoch 3".</summary>
    public IProgress<string>? Messages { get; init; }
    public bool Evaluate { get; init; } = true;
    public string RunId { get; init; } = "";
    /// <summary>
    /// Told what is about to be written to the run folder (run.json, a checkpoint, the test results), before it is
    /// written; throwing there stops the run without writing (a worker that is no longer the run's own).
    /// </summary>
    public IProgress<string>? Writing { get; init; }
    /// <summary>The threads libtorch may use on the thread that trains (runs trained side by side share the cores); null leaves it as it is.</summary>
    public int? Threads { get; init; }
}

/// <summary>
/// Trains one run: the model from the spec, seeded augmentation and order, class weights or balanced sampling,
/// a validation pass each epoch, LR schedule, early stopping, and a checkpoint every epoch it can resume from.
/// </summary>
public sealed class Trainer
{
    readonly RunConfig _config;
    readonly ImageCatalog _catalog;
    readonly RunFolder _folder;
    readonly TrainerOptions _options;

    public Trainer(RunConfig config, ImageCatalog catalog, string runDirectory, TrainerOptions? options = null)
    {
        InvalidSettingsException.ThrowIfAny(config.Validate());
        _config = config;
        _catalog = catalog;
        _folder = new RunFolder(runDirectory);
        _options = options ?? new TrainerOptions();
    }

    public RunRecord Run(CancellationToken ct = default)
    {
        TorchRuntime.FlushDenormalsOnThisThread();
        // OpenMP keeps the thread count per calling thread, so it is set on the thread that trains.
        if (_options.Threads is { } threads) torch.set_num_threads(Math.Max(1, threads));
        Directory.CreateDirectory(_folder.Path);
        var t = _config.Training;
        var device = TorchRuntime.PickDevice(t.Device);
        // A resumed run keeps the split it started with, even if the splitting rule has changed since.
        var splits = _folder.ReadSplits(_catalog.Images) is { } saved && File.Exists(_folder.StateJson)
            ? saved
            : DatasetSplitter.Carve(_catalog.Images, t.ValidationFraction, t.Seed, t.MaxTrainImages);
        if (splits.Train.Count < 2 || splits.Validation.Count < 1)
            throw new InvalidOperationException($"The data set has too few training images ({splits.Train.Count}) to train on.");
        if (DatasetSplitter.HasOwnValidation(_catalog.Images))
            _options.Messages?.Report("Validating on the data set's own validation split (the validation fraction setting is not used)");

        // No count: the portal's students must not learn how many images a leaderboard holds back from them.
        _options.Messages?.Report($"Preparing the images at {_config.Architecture.InputSize}px (decoded once, then cached)");
        var cache = ImageCache.Load(_catalog, _config.Architecture.InputSize, _options.CacheDirectory, ct: ct);
        foreach (var problem in cache.Problems)
            _options.Messages?.Report($"left out {problem.RelativePath}: {problem.Message}");
        using var train = new SplitTensors(cache, splits.Train, device);
        using var val = new SplitTensors(cache, splits.Validation, device);

        var nNormal = train.LabelArray.Count(l => l == 0);
        var nPneumonia = train.Count - nNormal;
        var weights = t.Imbalance == ImbalanceHandling.ClassWeights ? ClassWeights.Balanced(nNormal, nPneumonia) : (1.0, 1.0);

        manual_seed(t.Seed);
        using var net = new PneumoniaNet(_config.Architecture);
        net.to(device);
        var parameterCount = net.parameters().Sum(p => p.numel());
        using var optimizer = MakeOptimizer(net, t);

        var configJson = System.Text.Json.JsonSerializer.Serialize(_config with { Training = t with { Epochs = 0 } }, RunFolder.Json);
        var state = Resume(net, optimizer, configJson) ?? new TrainerState(0, t.LearningRate, double.NaN, 0, 0, 0, double.NaN, [], train.Normalization(t.PerImageStandardization), configJson);
        var record = state.CompletedEpochs > 0 ? _folder.ReadRecord() : new RunRecord
        {
            Id = _options.RunId,
            StartedAt = DateTimeOffset.UtcNow,
        };
        record = record with
        {
            Config = _config,
            DatasetSource = _catalog.Source,
            DatasetFingerprint = _catalog.Fingerprint,
            TrainImages = train.Count,
            ValidationImages = val.Count,
            TestImages = splits.Test.Count,
            NormalClassWeight = weights.Item1,
            PneumoniaClassWeight = weights.Item2,
            Device = device.type.ToString().ToLowerInvariant(),
            Parameters = parameterCount,
            Status = "Running",
            History = record.History.Take(state.CompletedEpochs).ToList(),
        };
        _options.Writing?.Report("run.json");
        _folder.WriteRecord(record);
        _folder.WriteSplits(splits);
        var norm = state.Normalization;
        var augmenter = new Augmenter(_config.Augmentation);
        string? stopReason = null;

        try
        {
            for (var epoch = state.CompletedEpochs + 1; epoch <= t.Epochs; epoch++)
            {
                var metrics = RunEpoch(epoch, net, optimizer, train, val, augmenter, norm, weights, ref state, device, ct);
                record = record with { History = [.. record.History, metrics], BestEpoch = state.BestEpoch, TrainingSeconds = record.TrainingSeconds + metrics.Seconds };
                _options.Writing?.Report("run.json");
                _folder.WriteRecord(record);
                _options.Epochs?.Report(metrics);
                if (t.EarlyStoppingPatience > 0 && state.EpochsWithoutImprovement >= t.EarlyStoppingPatience)
                {
                    stopReason = $"Early stopping: no improvement of {t.SelectBy} for {t.EarlyStoppingPatience} epochs after epoch {state.BestEpoch}.";
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            record = record with { Status = "Cancelled", StopReason = $"Cancelled after {state.CompletedEpochs} finished epochs.", FinishedAt = DateTimeOffset.UtcNow };
            _options.Writing?.Report("run.json");
            _folder.WriteRecord(record);
            throw;
        }

        record = record with { StopReason = stopReason ?? $"Finished {state.CompletedEpochs} epochs." };
        if (_options.Evaluate)
        {
            _options.Messages?.Report("Evaluating on the test split (threshold and checkpoint chosen on validation)");
            _options.Writing?.Report("test results");
            record = record with { Test = new Evaluator(_folder, device).EvaluateAndSave(record, state, cache, splits, ct) };
        }
        record = record with { Status = "Succeeded", FinishedAt = DateTimeOffset.UtcNow };
        _options.Writing?.Report("run.json");
        _folder.WriteRecord(record);
        return record;
    }

    EpochMetrics RunEpoch(int epoch, PneumoniaNet net, optim.Optimizer optimizer, SplitTensors train, SplitTensors val,
        Augmenter augmenter, InputNormalization norm, (double Normal, double Pneumonia) weights, ref TrainerState state,
        Device device, CancellationToken ct)
    {
        var t = _config.Training;
        var random = new Random(unchecked(t.Seed * 1_000_003 + epoch * 7919)); // not HashCode: it is salted per process
        manual_seed(t.Seed * 1000L + epoch);
        var order = EpochOrder(train.LabelArray, t.Imbalance == ImbalanceHandling.BalancedSampling, random);
        var batches = (order.Length + t.BatchSize - 1) / t.BatchSize;
        if (order.Length % t.BatchSize == 1) batches--; // batch norm cannot train on a single image
        var lr = state.LearningRate;
        SetLearningRate(optimizer, lr);
        net.train();

        var probabilities = new List<float>(order.Length);
        var labels = new List<int>(order.Length);
        double lossSum = 0, dataSeconds = 0;
        var seen = 0;
        var epochWatch = Stopwatch.StartNew();
        using var weightTensor = tensor(new[] { (float)weights.Normal, (float)weights.Pneumonia }).to(device);
        for (var b = 0; b < batches; b++)
        {
            ct.ThrowIfCancellationRequested();
            if (t.Scheduler == SchedulerKind.Cosine)
            {
                lr = CosineRate(t, epoch - 1 + (double)b / batches);
                SetLearningRate(optimizer, lr);
            }
            using var scope = NewDisposeScope();
            var dataStart = epochWatch.Elapsed;
            var count = Math.Min(t.BatchSize, order.Length - b * t.BatchSize);
            var idx = tensor(order.AsSpan(b * t.BatchSize, count).ToArray().Select(i => (long)i).ToArray()).to(device);
            var x = norm.Apply(augmenter.Apply(train.Unit(idx), random));
            var y = train.Labels.index_select(0, idx);
            var target = t.LabelSmoothing > 0 ? y * (1 - t.LabelSmoothing) + t.LabelSmoothing / 2 : y;
            var sampleWeights = weightTensor.index_select(0, y.to_type(ScalarType.Int64));
            if (t.Mixup > 0) (x, target, sampleWeights) = Mix(x, target, sampleWeights, t.Mixup, random);
            dataSeconds += (epochWatch.Elapsed - dataStart).TotalSeconds;

            optimizer.zero_grad();
            var logits = net.call(x);
            var loss = F.binary_cross_entropy_with_logits(logits, target, weight: sampleWeights);
            loss.backward();
            optimizer.step();

            var batchLoss = loss.item<float>();
            lossSum += batchLoss * count;
            seen += count;
            probabilities.AddRange(sigmoid(logits).detach().cpu().data<float>().ToArray());
            labels.AddRange(y.cpu().data<float>().ToArray().Select(v => (int)v));
            _options.Batches?.Report(new BatchProgress(epoch, b + 1, batches, lossSum / seen, seen / epochWatch.Elapsed.TotalSeconds));
        }
        var trainSeconds = epochWatch.Elapsed.TotalSeconds;

        var valProbabilities = Predictor.Probabilities(net, val, norm, tta: false);
        var valLoss = LogLoss.Compute(val.LabelArray, valProbabilities, weights.Normal, weights.Pneumonia);
        var trainMetrics = Summarize(labels, probabilities, lossSum / Math.Max(1, seen));
        var valMetrics = Summarize(val.LabelArray, valProbabilities, valLoss);

        var score = t.SelectBy == SelectionMetric.ValAuc ? valMetrics.Auc : -valMetrics.Loss;
        var improved = double.IsNaN(state.BestScore) || score > state.BestScore + 1e-6;
        var nextLr = lr;
        var plateauCount = state.PlateauCount;
        var plateauBest = state.PlateauBest;
        if (t.Scheduler == SchedulerKind.ReduceOnPlateau)
        {
            if (double.IsNaN(plateauBest) || valLoss < plateauBest - 1e-4) { plateauBest = valLoss; plateauCount = 0; }
            else if (++plateauCount > t.PlateauPatience) { nextLr = Math.Max(t.MinLearningRate, lr * t.PlateauFactor); plateauCount = 0; }
        }
        var top = state.TopCheckpoints.Append(new EpochScore(epoch, score))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Epoch).Take(t.EnsembleTopCheckpoints).ToList();
        state = state with
        {
            CompletedEpochs = epoch,
            LearningRate = nextLr,
            BestScore = improved ? score : state.BestScore,
            BestEpoch = improved ? epoch : state.BestEpoch,
            EpochsWithoutImprovement = improved ? 0 : state.EpochsWithoutImprovement + 1,
            PlateauCount = plateauCount,
            PlateauBest = plateauBest,
            TopCheckpoints = top,
        };
        SaveCheckpoint(net, optimizer, state, epoch);

        var seconds = epochWatch.Elapsed.TotalSeconds;
        return new EpochMetrics(epoch, trainMetrics, valMetrics, lr, seconds, seen / trainSeconds,
            dataSeconds / trainSeconds, improved, Process.GetCurrentProcess().WorkingSet64);
    }

    /// <summary>Checkpoint files first, state.json last: state.json never points at a checkpoint that is not on disk.</summary>
    void SaveCheckpoint(PneumoniaNet net, optim.Optimizer optimizer, TrainerState state, int epoch)
    {
        _options.Writing?.Report($"the checkpoint of epoch {epoch}");
        RunFolder.SaveAtomically(_folder.LastCheckpoint, f => net.save(f));
        RunFolder.SaveAtomically(_folder.LastOptimizer, f => ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(f));
        if (state.TopCheckpoints.Any(s => s.Epoch == epoch)) File.Copy(_folder.LastCheckpoint, _folder.EpochCheckpoint(epoch), overwrite: true);
        _folder.WriteJson(_folder.StateJson, state);
        foreach (var stale in Directory.EnumerateFiles(_folder.Path, "epoch-*.pt"))
        {
            var n = int.Parse(Path.GetFileNameWithoutExtension(stale)["epoch-".Length..]);
            if (state.TopCheckpoints.All(s => s.Epoch != n)) File.Delete(stale);
        }
    }

    TrainerState? Resume(PneumoniaNet net, optim.Optimizer optimizer, string configJson)
    {
        var state = _folder.ReadJson<TrainerState>(_folder.StateJson);
        if (state is null || !File.Exists(_folder.LastCheckpoint)) return null;
        if (state.ConfigJson != configJson)
            throw new InvalidOperationException(
                $"{_folder.Path} already holds a run with other settings. Choose another output folder, or delete this one to start over.");
        net.load(_folder.LastCheckpoint);
        if (File.Exists(_folder.LastOptimizer)) ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(_folder.LastOptimizer);
        if (state.CompletedEpochs < _config.Training.Epochs)
            _options.Messages?.Report($"Resuming at epoch {state.CompletedEpochs + 1} from the checkpoint of epoch {state.CompletedEpochs}");
        return state;
    }

    internal static SplitMetrics Summarize(IReadOnlyList<int> labels, IReadOnlyList<float> probabilities, double loss)
    {
        var m = ConfusionMatrix.From(labels, probabilities, 0.5);
        var roc = RocCurve.From(labels, probabilities);
        return new SplitMetrics(loss, m.Accuracy, m.Precision, m.Sensitivity, m.Specificity, roc.Defined ? roc.Auc : 0);
    }

    /// <summary>Mixup: blends each image, target and weight with those of another image of the batch by a Beta(α, α) share.</summary>
    static (Tensor X, Tensor Target, Tensor Weights) Mix(Tensor x, Tensor target, Tensor weights, double alpha, Random random)
    {
        var b = (int)x.shape[0];
        var share = new float[b];
        for (var i = 0; i < b; i++) share[i] = (float)Beta(random, alpha);
        var partner = Enumerable.Range(0, b).Select(i => (long)i).ToArray();
        random.Shuffle(partner);
        var lam = tensor(share).to(x.device);
        var other = tensor(partner).to(x.device);
        var mixedX = x * lam.view(-1, 1, 1, 1) + x.index_select(0, other) * (1 - lam.view(-1, 1, 1, 1));
        var mixedTarget = target * lam + target.index_select(0, other) * (1 - lam);
        var mixedWeights = weights * lam + weights.index_select(0, other) * (1 - lam);
        return (mixedX, mixedTarget, mixedWeights);
    }

    /// <summary>Beta(α, α) from two Gamma draws (Marsaglia–Tsang), from the seeded generator so runs repeat.</summary>
    static double Beta(Random random, double alpha)
    {
        var a = Gamma(random, alpha);
        var b = Gamma(random, alpha);
        return a + b == 0 ? 0.5 : a / (a + b);
    }

    static double Gamma(Random random, double shape)
    {
        if (shape < 1) return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    static int[] EpochOrder(int[] labels, bool balanced, Random random)
    {
        if (!balanced)
        {
            var order = Enumerable.Range(0, labels.Length).ToArray();
            random.Shuffle(order);
            return order;
        }
        // Each draw picks a class with equal odds, then an image of it: both classes are seen equally often.
        var byClass = new[] { labels.Select((l, i) => (l, i)).Where(p => p.l == 0).Select(p => p.i).ToArray(),
                              labels.Select((l, i) => (l, i)).Where(p => p.l == 1).Select(p => p.i).ToArray() };
        return Enumerable.Range(0, labels.Length).Select(_ =>
        {
            var pool = byClass[random.Next(2)];
            if (pool.Length == 0) pool = byClass[0].Length > 0 ? byClass[0] : byClass[1];
            return pool[random.Next(pool.Length)];
        }).ToArray();
    }

    static double CosineRate(TrainingSettings t, double epochProgress)
    {
        var warmup = Math.Min(t.WarmupEpochs, t.Epochs - 1);
        if (warmup > 0 && epochProgress < warmup) return t.LearningRate * (epochProgress + 1.0 / 8) / warmup;
        var span = Math.Max(1e-9, t.Epochs - warmup);
        var p = Math.Clamp((epochProgress - warmup) / span, 0, 1);
        return t.MinLearningRate + 0.5 * (t.LearningRate - t.MinLearningRate) * (1 + Math.Cos(Math.PI * p));
    }

    static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }

    static optim.Optimizer MakeOptimizer(PneumoniaNet net, TrainingSettings t) => t.Optimizer switch
    {
        OptimizerKind.SGD => optim.SGD(net.parameters(), t.LearningRate, momentum: t.Momentum, weight_decay: t.WeightDecay, nesterov: t.Momentum > 0),
        OptimizerKind.RMSprop => optim.RMSProp(net.parameters(), t.LearningRate, weight_decay: t.WeightDecay),
        OptimizerKind.AdamW => optim.AdamW(net.parameters(), t.LearningRate, weight_decay: t.WeightDecay),
        _ => optim.Adam(net.parameters(), t.LearningRate, weight_decay: t.WeightDecay),
    };
}
