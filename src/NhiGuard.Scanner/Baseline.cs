using System.Text.Json;

namespace NhiGuard.Scanner;

/// <summary>
/// Findings recorded earlier (a JSON report written by <c>nhiguard baseline</c>): matched by
/// fingerprint, hidden from later scans; entries that match nothing any more are counted.
/// </summary>
public sealed class Baseline
{
    private readonly HashSet<string> _fingerprints;

    private Baseline(HashSet<string> fingerprints) => _fingerprints = fingerprints;

    public int Count => _fingerprints.Count;

    public static Baseline Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read baseline: {e.Message}");
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("findings", out JsonElement findings)
                || findings.ValueKind != JsonValueKind.Array)
            {
                throw new ConfigurationException($"{path}: not a baseline: expected a JSON report with a 'findings' array");
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement f in findings.EnumerateArray())
            {
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("fingerprint", out JsonElement fp) || fp.ValueKind != JsonValueKind.String)
                {
                    throw new ConfigurationException($"{path}: findings[{index}] has no 'fingerprint'");
                }

                set.Add(fp.GetString()!);
                index++;
            }

            return new Baseline(set);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}: invalid JSON in baseline: {e.Message.Split('.')[0]}");
        }
    }

    /// <summary>Splits findings into the new ones and the baseline entries that matched nothing.</summary>
    public (IReadOnlyList<T> Remaining, int Hidden, int Stale) Apply<T>(IReadOnlyList<T> findings, Func<T, string> fingerprint)
    {
        var matched = new HashSet<string>(StringComparer.Ordinal);
        var remaining = new List<T>();
        foreach (T f in findings)
        {
            string fp = fingerprint(f);
            if (_fingerprints.Contains(fp))
            {
                matched.Add(fp);
            }
            else
            {
                remaining.Add(f);
            }
        }

        return (remaining, findings.Count - remaining.Count, _fingerprints.Count - matched.Count);
    }
}
