namespace PneumoniaPortal.Cli;

/// <summary>Minimal parser for <c>verb [sub] --key value --flag positional...</c>; repeated keys (--set) are kept in order.</summary>
public sealed class CliArguments
{
    readonly Dictionary<string, List<string>> _options = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> _flags = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Positional { get; } = [];

    public CliArguments(IEnumerable<string> args, params string[] flagNames)
    {
        var flags = new HashSet<string>(flagNames, StringComparer.OrdinalIgnoreCase);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal)) { Positional.Add(a); continue; }
            var name = a[2..];
            if (flags.Contains(name)) { _flags.Add(name); continue; }
            if (!e.MoveNext()) throw new CliException($"--{name} needs a value.");
            if (!_options.TryGetValue(name, out var list)) _options[name] = list = [];
            list.Add(e.Current);
        }
    }

    public bool Flag(string name) => _flags.Contains(name);

    public string? Optional(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public string Required(string name) => Optional(name) ?? throw new CliException($"--{name} is required.");

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public int Int(string name, int fallback) =>
        Optional(name) is { } s ? (int.TryParse(s, out var i) && i > 0 ? i : throw new CliException($"--{name} must be a positive whole number; you gave '{s}'.")) : fallback;
}

/// <summary>A mistake in how the command was called: printed as one line, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
