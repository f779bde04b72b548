using System.Text;
using NhiGuard.Detection;
using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner.Git;

/// <summary>
/// What a path changes about a scan: which config reader reads it and which path-restricted rules
/// apply. Two paths with the same profile get the same findings from the same blob, so a blob is
/// scanned once per profile rather than once per path it ever had.
/// </summary>
internal sealed class PathProfiles
{
    /// <summary>The profile of a path the global allowlist excludes: nothing there is scanned.</summary>
    public const int Excluded = -1;

    // Enough for every path of most repositories; beyond it the cache starts over rather than grow.
    private const int MaxCachedPaths = 100_000;

    private readonly Detector _detector;
    private readonly Dictionary<string, int> _bySignature = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public PathProfiles(Detector detector) => _detector = detector;

    public int Of(string path)
    {
        lock (_lock)
        {
            if (_byPath.TryGetValue(path, out int cached))
            {
                return cached;
            }

            if (_byPath.Count >= MaxCachedPaths)
            {
                _byPath.Clear();
            }

            int profile = Compute(path);
            _byPath[path] = profile;
            return profile;
        }
    }

    private int Compute(string path)
    {
        // The detector's own view of the path: excluded, and which path-limited rules apply.
        Detector.PathFacts facts = _detector.FactsOf(path);
        if (facts.Excluded)
        {
            return Excluded;
        }

        var signature = new StringBuilder();
        IConfigFormat? format = ConfigFormats.For(path);
        signature.Append(format is null ? -1 : IndexOf(format)).Append(':');
        foreach (bool applies in facts.Applies)
        {
            signature.Append(applies ? '1' : '0');
        }

        string key = signature.ToString();
        if (!_bySignature.TryGetValue(key, out int id))
        {
            id = _bySignature.Count;
            _bySignature[key] = id;
        }

        return id;
    }

    private static int IndexOf(IConfigFormat format)
    {
        for (int i = 0; i < ConfigFormats.All.Count; i++)
        {
            if (ReferenceEquals(ConfigFormats.All[i], format))
            {
                return i;
            }
        }

        return -1;
    }
}
