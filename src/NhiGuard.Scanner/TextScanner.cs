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

    // One vectorized search for all of them (Contains ignoring case is a scalar loop in invariant mode).
    private static readonly System.Buffers.SearchValues<string> SecretishKeyPartSearch = System.Buffers.SearchValues.Create(SecretishKeyParts, StringComparison.OrdinalIgnoreCase);

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
        if (raw.Count == 0 && ConfigFormats.For(relativePath) switch
            {
                YamlConfigFormat => !YamlStructureMayMatter(text, added),
                JsonConfigFormat => !JsonStructureMayMatter(text, added),
                _ => false,
            })
        {
            // Nothing to name, and no new line lies under a secret-sounding key: parsing the
            // whole version again could add nothing.
            return raw;
        }

        return ScanAddedWithStructure(relativePath, text, raw, added, onWarning);
    }

    /// <summary><see cref="ScanAdded"/> with the structure always read (what its shortcut must agree with).</summary>
    internal IReadOnlyList<Finding> ScanAddedWithStructure(string relativePath, string text, IReadOnlyList<Finding> raw, Func<int, int, bool> added, Action<string>? onWarning = null)
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
            // In a later version most entries are on old lines: that is the cheapest thing to ask first.
            if (added is not null)
            {
                lines ??= new LineIndex(text);
                if (!added(lines.LineOf(entry.Start) + 1, lines.LineOf(entry.Start + Math.Max(entry.Length, 1) - 1) + 1))
                {
                    continue;
                }
            }

            if (findings.Any(f => Overlaps(entry, f)) || !(entry.Decoded || IsSecretish(entry.Key)))
            {
                continue;
            }

            lines ??= new LineIndex(text);
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

    private static bool IsSecretish(string key) => HasSecretishPart(LastSegment(key));

    private static bool HasSecretishPart(string text)
    {
        string name = text.AsSpan().IndexOfAny('_', '-') < 0 ? text : text.Replace("_", "").Replace("-", "");
        return name.AsSpan().IndexOfAny(SecretishKeyPartSearch) >= 0;
    }

    /// <summary>
    /// Whether the structure of a later version of a YAML file could show a secret on its new lines
    /// that their raw text does not: only a value under a secret-sounding key (its key is on the
    /// value's line or on a less indented line above) or a Kubernetes Secret's base64 data can.
    /// True whenever indentation alone cannot tell what holds what (flow collections, escapes,
    /// tabs, complex keys), so the answer false is certain.
    /// </summary>
    internal static bool YamlStructureMayMatter(string text, Func<int, int, bool> added)
    {
        if (text.Contains("Secret", StringComparison.Ordinal) || text.Contains('\\') || text.Contains('{') || text.Contains('['))
        {
            return true;
        }

        List<int> starts = LineStarts(text);

        var indents = new int[starts.Count];
        for (int n = 0; n < starts.Count; n++)
        {
            int at = starts[n], end = LineEndAt(text, starts, n);
            while (at < end && text[at] == ' ')
            {
                at++;
            }

            if (at < end && (text[at] == '\t' || text[at] == '?'))
            {
                return true;
            }

            // Blank and comment lines own nothing (-1).
            indents[n] = at == end || text[at] == '\r' || text[at] == '#' ? -1 : at - starts[n];
        }

        for (int n = 0; n < starts.Count; n++)
        {
            if (!added(n + 1, n + 1))
            {
                continue;
            }

            // The line's own key (its value is not a key), then its ancestors' whole lines (a
            // list item "- name: DB_PASSWORD" names the value below it).
            if (HasSecretishPart(YamlKeyPart(text[starts[n]..LineEndAt(text, starts, n)])))
            {
                return true;
            }

            // Its ancestors: each less indented line above, up to the left margin.
            int depth = indents[n] < 0 ? int.MaxValue : indents[n];
            for (int up = n - 1; up >= 0 && depth > 0; up--)
            {
                if (indents[up] >= 0 && indents[up] < depth)
                {
                    if (HasSecretishPart(text[starts[up]..LineEndAt(text, starts, up)]))
                    {
                        return true;
                    }

                    depth = indents[up];
                }
            }
        }

        return false;
    }

    // What comes before a line's first ": " (or a final ':'): the key of the value on the line.
    // The whole line when there is none (the value's key is above) or it holds a quote (a quoted
    // key may hold ": " itself).
    private static string YamlKeyPart(string line)
    {
        int colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            string trimmed = line.TrimEnd('\r', ' ');
            colon = trimmed.EndsWith(':') ? trimmed.Length - 1 : -1;
        }

        return colon < 0 || line.AsSpan(0, colon).IndexOfAny('"', '\'') >= 0 ? line : line[..colon];
    }

    /// <summary>
    /// Whether the structure of a later version of a settings JSON file could show a secret on its
    /// new lines that their raw text does not: only a string value whose own key sounds secret can
    /// (keys are never decoded, and an array item's last key segment is its index). A value lies on
    /// one line (strings end at a line break), and its key precedes it on that line or on the
    /// nearest line above that is more than white space, colons and a line comment. True whenever
    /// escapes or block comments make the raw text unlike the keys read, so the answer false is certain.
    /// </summary>
    internal static bool JsonStructureMayMatter(string text, Func<int, int, bool> added)
    {
        if (text.Contains('\\') || text.Contains("/*", StringComparison.Ordinal))
        {
            return true;
        }

        List<int> starts = LineStarts(text);

        for (int n = 0; n < starts.Count; n++)
        {
            if (!added(n + 1, n + 1))
            {
                continue;
            }

            if (HasSecretishPart(text[starts[n]..LineEndAt(text, starts, n)]))
            {
                return true;
            }

            if (!StartsWithJsonValue(text.AsSpan(starts[n], LineEndAt(text, starts, n) - starts[n])))
            {
                // Every value on the line has its key on the line.
                continue;
            }

            int up = n - 1;
            while (up >= 0 && IsJsonTrivia(text.AsSpan(starts[up], LineEndAt(text, starts, up) - starts[up])))
            {
                up--;
            }

            if (up >= 0 && HasSecretishPart(text[starts[up]..LineEndAt(text, starts, up)]))
            {
                return true;
            }
        }

        return false;
    }

    // Whether the line's first token may be a value whose key is on a line above: a colon, or a
    // string or word not followed by a colon. After a brace, bracket or comma a key comes next (or
    // an array item, whose last key segment is its index).
    private static bool StartsWithJsonValue(ReadOnlySpan<char> line)
    {
        ReadOnlySpan<char> t = line.TrimStart();
        if (t.IsEmpty || t.StartsWith("//", StringComparison.Ordinal) || t[0] is '{' or '}' or '[' or ']' or ',')
        {
            return false;
        }

        if (t[0] == ':')
        {
            return true;
        }

        int end;
        if (t[0] is '"' or '\'')
        {
            int close = t.Slice(1).IndexOf(t[0]);
            if (close < 0)
            {
                return true;
            }

            end = close + 2;
        }
        else
        {
            end = t.IndexOfAny(" \t\r{}[]:,\"'/");
            end = end < 0 ? t.Length : end;
        }

        ReadOnlySpan<char> after = t.Slice(end).TrimStart();
        return after.IsEmpty || after[0] != ':';
    }

    // A line that holds no token but colons: white space, colons, then at most a line comment.
    private static bool IsJsonTrivia(ReadOnlySpan<char> line)
    {
        ReadOnlySpan<char> rest = line.TrimStart().TrimStart(':').TrimStart();
        while (rest.Length > 0 && rest[0] == ':')
        {
            rest = rest.Slice(1).TrimStart();
        }

        return rest.Length == 0 || rest.StartsWith("//", StringComparison.Ordinal);
    }

    private static List<int> LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }

        return starts;
    }

    private static int LineEndAt(string text, List<int> starts, int n) => n + 1 < starts.Count ? starts[n + 1] - 1 : text.Length;

    private static string LastSegment(string key)
    {
        int cut = key.LastIndexOfAny([':', '.', '/', '@']);
        string last = cut >= 0 && cut < key.Length - 1 ? key[(cut + 1)..] : key;
        return last.Length == 0 ? "value" : last;
    }
}
