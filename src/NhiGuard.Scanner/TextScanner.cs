using NhiGuard.Detection;
using NhiGuard.Scanner.Config;

namespace NhiGuard.Scanner;

/// <summary>
/// Scans one file's text: the detector over the raw text, plus the file's structure where its
/// format is known — each finding names the config key that holds it, and values the raw text
/// hides (XML attributes, escaped or base64-encoded values) are checked as <c>key = "value"</c>.
/// </summary>
public sealed class TextScanner(Detector detector)
{
    // Key names worth a second look when the raw text gives the generic rules no assignment to match.
    private static readonly string[] SecretishKeyParts =
    [
        "secret", "password", "passwd", "pwd", "token", "key", "credential", "auth", "pass", "sas",
        "connectionstring", "private", "signature", "cert",
    ];

    public Detector Detector { get; } = detector;

    /// <summary>Whether the file at <paramref name="relativePath"/> is read with its structure (a configuration format).</summary>
    public static bool ReadsStructureOf(string relativePath) => ConfigFormats.For(relativePath) is not null;

    /// <param name="relativePath">'/'-separated path relative to the scanned root.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="onWarning">Told about rules skipped for this file.</param>
    public IReadOnlyList<Finding> Scan(string relativePath, string text, Action<string>? onWarning = null) =>
        WithStructure(relativePath, text, Detector.Scan(new Fragment(text, relativePath), onWarning), null, null, onWarning);

    /// <summary>
    /// A later version of a file of which only some lines are new (in history): <paramref name="raw"/>
    /// are the detector's findings on those lines, with the file's line numbers; where the file is a
    /// configuration file, its structure adds the secrets the raw text of those lines hides (an
    /// encoded value, a key path), judges encoded values by what they decode to, and names the keys.
    /// </summary>
    /// <param name="text">The whole new version.</param>
    /// <param name="added">Whether any line from the first to the last (1-based) is new.</param>
    public IReadOnlyList<Finding> ScanAdded(string relativePath, string text, IReadOnlyList<Finding> raw, Func<int, int, bool> added, Action<string>? onWarning = null)
    {
        var lines = new LineIndex(text);
        var located = raw.Select(f =>
        {
            int line = Math.Clamp(f.Line - 1, 0, lines.LineCount - 1);
            return f with { Offset = Math.Min(text.Length, lines.StartOf(line) + f.Column - 1) };
        }).ToList();
        return WithStructure(relativePath, text, located, added, lines, onWarning);
    }

    private IReadOnlyList<Finding> WithStructure(string relativePath, string text, IReadOnlyList<Finding> raw, Func<int, int, bool>? added, LineIndex? lines, Action<string>? onWarning)
    {
        IConfigFormat? format = ConfigFormats.For(relativePath);
        if (format is null)
        {
            return raw;
        }

        IReadOnlyList<ConfigEntry> entries = format.Read(text);
        if (entries.Count == 0)
        {
            return raw;
        }

        // An encoded value (base64 in a Kubernetes Secret) is judged by what it decodes to, not by
        // how random its encoding looks: base64 of "changeme" is not a secret.
        var kept = new List<Finding>(raw.Count);
        foreach (Finding f in raw)
        {
            if (entries.Any(e => e.Decoded && Overlaps(e, f)))
            {
                continue;
            }

            ConfigEntry? holder = entries.FirstOrDefault(e => e.Start <= f.Offset && f.Offset < e.Start + Math.Max(1, e.Length));
            kept.Add(holder is null ? f : f with { Key = holder.Key });
        }

        var findings = new List<Finding>(kept);
        foreach (ConfigEntry entry in entries)
        {
            if (findings.Any(f => Overlaps(entry, f)) || !(entry.Decoded || IsSecretish(entry.Key)))
            {
                continue;
            }

            lines ??= new LineIndex(text);
            if (added is not null && !added(lines.LineOf(entry.Start) + 1, lines.LineOf(entry.Start + Math.Max(entry.Length, 1) - 1) + 1))
            {
                continue;
            }

            findings.AddRange(ScanEntry(relativePath, text, entry, lines, onWarning));
        }

        findings.Sort((a, b) => a.Offset != b.Offset ? a.Offset.CompareTo(b.Offset) : string.CompareOrdinal(a.RuleId, b.RuleId));
        return findings;
    }

    // Runs the detector over `name = "value"` and maps what it finds back to the value in the file.
    private IEnumerable<Finding> ScanEntry(string path, string text, ConfigEntry entry, LineIndex lines, Action<string>? onWarning)
    {
        // The whole key path, so that rules which want their provider's name in context see it:
        // exporters.datadog.api.key = "...".
        string name = entry.Key.Replace(':', '.').Replace('/', '.').Replace('@', '.');
        string value = entry.Value;

        // Docker's auth is base64 of "user:password": what leaks is the password.
        int colon = value.IndexOf(':');
        if (entry.Decoded && LastSegment(entry.Key).Equals("auth", StringComparison.OrdinalIgnoreCase) && colon > 0)
        {
            (name, value) = ("password", value[(colon + 1)..]);
        }

        string prefix = name + " = \"";
        string synthetic = prefix + value + "\"";
        bool verbatim = !entry.Decoded && entry.Length == entry.Value.Length
            && string.CompareOrdinal(text, entry.Start, entry.Value, 0, entry.Length) == 0;

        foreach (Finding f in Detector.Scan(new Fragment(synthetic, path), onWarning))
        {
            int inValue = f.Offset - prefix.Length;
            if (inValue < 0 || inValue + f.Length > value.Length)
            {
                continue;
            }

            (int start, int length) = verbatim ? (entry.Start + inValue, f.Length) : (entry.Start, entry.Length);
            if (Detector.Options.InlineAllows && InlineAllow.IsAllowed(lines, start, length))
            {
                continue;
            }

            int line = lines.LineOf(start);
            int end = start + Math.Max(length, 1);
            int endLine = lines.LineOf(end - 1);
            yield return f with
            {
                Offset = start,
                Length = length,
                Line = line + 1,
                Column = start - lines.StartOf(line) + 1,
                EndLine = endLine + 1,
                EndColumn = end - lines.StartOf(endLine) + 1,
                Key = entry.Key,
            };
        }
    }

    private static bool Overlaps(ConfigEntry e, Finding f) =>
        f.Offset < e.Start + Math.Max(1, e.Length) && e.Start < f.Offset + Math.Max(1, f.Length);

    private static bool IsSecretish(string key)
    {
        string name = LastSegment(key).Replace("_", "").Replace("-", "");
        foreach (string part in SecretishKeyParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string LastSegment(string key)
    {
        int cut = key.LastIndexOfAny([':', '.', '/', '@']);
        string last = cut >= 0 && cut < key.Length - 1 ? key[(cut + 1)..] : key;
        return last.Length == 0 ? "value" : last;
    }
}
