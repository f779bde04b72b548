using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// YAML (*.yml, *.yaml): keys joined with '.' (<c>spring.datasource.password</c>), sequence items by index.
/// Kubernetes <c>kind: Secret</c> <c>data.*</c> values are base64-decoded; docker-compose
/// <c>environment:</c> items <c>KEY=value</c> become <c>services.&lt;svc&gt;.environment.KEY</c>.
/// </summary>
internal sealed class YamlConfigFormat : IConfigFormat
{
    public static readonly YamlConfigFormat Instance = new();

    private sealed class Frame(bool isSequence, string? segment, bool muted)
    {
        public bool IsSequence { get; } = isSequence;
        public string? Segment { get; } = segment;
        public bool Muted { get; } = muted;
        public bool ExpectKey { get; set; } = true;
        public string? Key { get; set; }
        public int Index { get; set; }
    }

    /// <summary>An entry of the current document; DataName is set for a root-level <c>data.&lt;name&gt;</c> value.</summary>
    private readonly record struct Pending(ConfigEntry Entry, string? DataName);

    public bool Handles(string relativePath)
    {
        string name = ConfigText.FileName(relativePath);
        return name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);
    }

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        // YamlDotNet would make a leading BOM part of the first key; read past it and shift offsets by one.
        int shift = text.StartsWith('\uFEFF') ? 1 : 0;
        var document = new List<Pending>();
        bool isSecret = false;
        var frames = new List<Frame>();
        try
        {
            var parser = new Parser(new StringReader(shift == 0 ? text : text[shift..]));
            while (entries.Entries.Count + document.Count < EntryList.MaxEntries && parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart:
                        frames.Clear();
                        break;
                    case DocumentEnd:
                        Flush(document, isSecret, entries);
                        isSecret = false;
                        break;
                    case MappingStart or SequenceStart:
                        if (frames.Count >= ConfigText.MaxDepth)
                        {
                            Flush(document, isSecret, entries);
                            return entries.Entries;
                        }

                        Frame? parent = frames.Count > 0 ? frames[^1] : null;
                        string? segment = TakeSegment(parent);
                        frames.Add(new Frame(parser.Current is SequenceStart, segment, parent is not null && (parent.Muted || segment is null)));
                        break;
                    case MappingEnd or SequenceEnd:
                        if (frames.Count > 0)
                        {
                            frames.RemoveAt(frames.Count - 1);
                        }

                        break;
                    case AnchorAlias:
                        TakeSegment(frames.Count > 0 ? frames[^1] : null);
                        break;
                    case Scalar scalar:
                        if (frames.Count == 0)
                        {
                            break;
                        }

                        Frame top = frames[^1];
                        if (!top.IsSequence && top.ExpectKey)
                        {
                            top.Key = scalar.Value;
                            top.ExpectKey = false;
                            break;
                        }

                        string? leaf = TakeSegment(top);
                        // An empty plain scalar is an implicit null: nothing was written.
                        if (leaf is null || top.Muted || (scalar.Style == ScalarStyle.Plain && scalar.Value.Length == 0)
                            || !EntryList.KeyFits(frames.Select(f => f.Segment), leaf.Length))
                        {
                            break;
                        }

                        if (frames.Count == 1 && leaf == "kind" && scalar.Value == "Secret")
                        {
                            isSecret = true;
                        }

                        (int start, int length) = Span(text, scalar, shift);
                        document.Add(ToPending(text, frames, leaf, scalar.Value, start, length));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            // Malformed YAML: keep what the parser produced before the error.
        }

        Flush(document, isSecret, entries);
        return entries.Entries;
    }

    private static Pending ToPending(string text, List<Frame> frames, string leaf, string value, int start, int length)
    {
        var segments = new List<string>(frames.Count + 1);
        foreach (Frame frame in frames)
        {
            if (frame.Segment is not null)
            {
                segments.Add(frame.Segment);
            }
        }

        segments.Add(leaf);
        bool compose = segments.Count == 4 && segments[0] == "services" && segments[2] == "environment" && frames[^1].IsSequence;
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (compose && equals > 0)
        {
            // "KEY=value": key the entry by KEY and span only the value part.
            segments[3] = value[..equals];
            int rawEquals = text.AsSpan(start, length).SequenceEqual(value) ? start + equals : text.IndexOf('=', start, length);
            if (rawEquals >= 0)
            {
                value = value[(equals + 1)..];
                length = start + length - rawEquals - 1;
                start = rawEquals + 1;
            }
        }

        string? dataName = segments.Count == 2 && segments[0] == "data" && !frames[^1].IsSequence ? leaf : null;
        return new Pending(new ConfigEntry(string.Join('.', segments), value, start, length), dataName);
    }

    private static void Flush(List<Pending> document, bool isSecret, EntryList entries)
    {
        foreach (Pending pending in document)
        {
            if (isSecret && pending.DataName is not null && ConfigText.TryDecodeBase64Utf8(pending.Entry.Value, out string decoded))
            {
                entries.Add(pending.Entry with { Value = decoded, Decoded = true });
            }
            else
            {
                entries.Add(pending.Entry);
            }
        }

        document.Clear();
    }

    /// <summary>The path segment of the node about to start in <paramref name="top"/>; null for complex keys and top-level nodes.</summary>
    private static string? TakeSegment(Frame? top)
    {
        if (top is null)
        {
            return null;
        }

        if (top.IsSequence)
        {
            return (top.Index++).ToString(CultureInfo.InvariantCulture);
        }

        if (top.ExpectKey)
        {
            // A collection or alias used as a key: its value gets no path.
            top.ExpectKey = false;
            top.Key = null;
            return null;
        }

        string? key = top.Key;
        top.Key = null;
        top.ExpectKey = true;
        return key;
    }

    /// <summary>The scalar's span as written, without quotes, anchor, tag or block header.</summary>
    private static (int Start, int Length) Span(string text, Scalar scalar, int shift)
    {
        int start = (int)Math.Clamp(scalar.Start.Index + shift, 0, text.Length);
        int end = (int)Math.Clamp(scalar.End.Index + shift, start, text.Length);
        switch (scalar.Style)
        {
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                char quote = scalar.Style == ScalarStyle.SingleQuoted ? '\'' : '"';
                int open = text.IndexOf(quote, start, end - start);
                int close = open < 0 ? -1 : text.LastIndexOf(quote, end - 1, end - open - 1);
                return close > open ? (open + 1, close - open - 1) : (start, end - start);
            case ScalarStyle.Literal or ScalarStyle.Folded:
                int header = ConfigText.LineEnd(text, start);
                (int s, int e) = ConfigText.TrimSpan(text, Math.Min(header, end), end);
                return (s, e - s);
            default:
                start = SkipProperties(text, start, end);
                (int ps, int pe) = ConfigText.TrimSpan(text, start, end);
                return (ps, pe - ps);
        }
    }

    /// <summary>Skips a node's anchor (&amp;a) and tag (!!str), which YamlDotNet includes in a plain scalar's span.</summary>
    private static int SkipProperties(string text, int start, int end)
    {
        while (start < end && text[start] is '&' or '!')
        {
            while (start < end && !char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }
        }

        return start;
    }
}
