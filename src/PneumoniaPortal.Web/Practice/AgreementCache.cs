using Microsoft.Extensions.Caching.Memory;
using PneumoniaPortal.Core.Metrics;

namespace PneumoniaPortal.Web.Practice;

/// <summary>
/// Kappa with its bootstrap interval is 2,000 resamples of up to 200 images per reader, and a reader study is read by
/// every student of a closed set: each result is kept by what it was computed from (the answers themselves), so a
/// reload, or another student opening the same study, costs nothing. One per process, at most
/// <see cref="MaxEntries"/> results, the least used dropped first.
/// </summary>
public sealed class AgreementCache : IDisposable
{
    public const int MaxEntries = 20_000;
    readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });

    public Agreement Cohen(IReadOnlyList<int> a, IReadOnlyList<int> b) =>
        Get($"c:{string.Concat(a)}:{string.Concat(b)}", () => Agreement.Cohen(a, b));

    public Agreement Fleiss(IReadOnlyList<IReadOnlyList<int>> counts) =>
        Get("f:" + string.Join(';', counts.Select(c => string.Join(',', c))), () => Agreement.Fleiss(counts));

    Agreement Get(string key, Func<Agreement> compute) =>
        _cache.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromHours(6);
            return compute();
        })!;

    public void Dispose() => _cache.Dispose();
}
