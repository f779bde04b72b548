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

    /// <summary>Reads with <see cref="FastYamlReader"/> when the text is in its subset, else with YamlDotNet.</summary>
    public IReadOnlyList<ConfigEntry> Read(string text) => FastYamlReader.TryRead(text) ?? ReadWithYamlDotNet(text);

    /// <summary>The reference reader: YamlDotNet's parser events for any YAML, fed to the same <see cref="EntryBuilder"/>.</summary>
    internal static IReadOnlyList<ConfigEntry> ReadWithYamlDotNet(string text)
    {
        var builder = new EntryBuilder(text);
        if (text.Length > ConfigText.MaxLength)
        {
            return builder.Finish();
        }

        // YamlDotNet would make a leading BOM part of the first key; read past it and shift offsets by one.
        int shift = text.StartsWith('\uFEFF') ? 1 : 0;
        try
        {
            var parser = new Parser(new StringReader(shift == 0 ? text : text[shift..]));
            while (!builder.Stopped && parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart:
                        builder.DocumentStart();
                        break;
                    case DocumentEnd:
                        builder.DocumentEnd();
                        break;
                    case MappingStart or SequenceStart:
                        builder.CollectionStart(parser.Current is SequenceStart);
                        break;
                    case MappingEnd or SequenceEnd:
                        builder.CollectionEnd();
                        break;
                    case AnchorAlias:
                        builder.Alias();
                        break;
                    case Scalar scalar:
                        builder.Scalar(scalar.Value, scalar.Style, scalar.Start.Index + shift, scalar.End.Index + shift);
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            // Malformed YAML: keep what the parser produced before the error.
        }

        return builder.Finish();
    }

    /// <summary>
    /// Turns a stream of YAML parsing events into entries: key paths, the Kubernetes Secret and
    /// docker-compose rules, the limits. The one consumer of both YamlDotNet's events and
    /// <see cref="FastYamlReader"/>'s, so the two readers cannot disagree on what an event means.
    /// </summary>
    /// <param name="text">The whole file's text; the scalar offsets the builder is given index into it.</param>
    internal sealed class EntryBuilder(string text)
    {
        private readonly EntryList _entries = new();
        private readonly List<Pending> _document = [];
        private readonly List<Frame> _frames = [];
        private bool _isSecret;
        private bool _tooDeep;

        /// <summary>Whether reading should stop: the entry limit is reached or the nesting is too deep.</summary>
        public bool Stopped => _tooDeep || _entries.Entries.Count + _document.Count >= EntryList.MaxEntries;

        public void DocumentStart() => _frames.Clear();

        public void DocumentEnd()
        {
            Flush(_document, _isSecret, _entries);
            _isSecret = false;
        }

        public void CollectionStart(bool isSequence)
        {
            if (_frames.Count >= ConfigText.MaxDepth)
            {
                Flush(_document, _isSecret, _entries);
                _tooDeep = true;
                return;
            }

            Frame? parent = _frames.Count > 0 ? _frames[^1] : null;
            string? segment = TakeSegment(parent);
            _frames.Add(new Frame(isSequence, segment, parent is not null && (parent.Muted || segment is null)));
        }

        public void CollectionEnd()
        {
            if (_frames.Count > 0)
            {
                _frames.RemoveAt(_frames.Count - 1);
            }
        }

        public void Alias() => TakeSegment(_frames.Count > 0 ? _frames[^1] : null);

        /// <param name="value">The scalar's value, unquoted and unescaped.</param>
        /// <param name="style">How it was written.</param>
        /// <param name="start">Offset in the text where the scalar starts as YamlDotNet reports it (at the opening quote).</param>
        /// <param name="end">Offset just past its end (past the closing quote).</param>
        public void Scalar(string value, ScalarStyle style, long start, long end)
        {
            if (_tooDeep || _frames.Count == 0)
            {
                return;
            }

            Frame top = _frames[^1];
            if (!top.IsSequence && top.ExpectKey)
            {
                top.Key = value;
                top.ExpectKey = false;
                return;
            }

            string? leaf = TakeSegment(top);
            // An empty plain scalar is an implicit null: nothing was written.
            if (leaf is null || top.Muted || (style == ScalarStyle.Plain && value.Length == 0))
            {
                return;
            }

            // Built once, for the length check and for the entry's key: this runs for every value of every file.
            List<string> segments = KeySegments(_frames, leaf);
            if (!EntryList.KeyFits(segments))
            {
                return;
            }

            if (_frames.Count == 1 && leaf == "kind" && value == "Secret")
            {
                _isSecret = true;
            }

            (int spanStart, int length) = Span(text, style, start, end);
            _document.Add(ToPending(text, segments, top.IsSequence, value, spanStart, length));
        }

        /// <summary>The entries read; the current document is flushed first.</summary>
        public IReadOnlyList<ConfigEntry> Finish()
        {
            Flush(_document, _isSecret, _entries);
            return _entries.Entries;
        }
    }

    /// <summary>The path of a value: the segments of the collections it is in, then its own key or index.</summary>
    private static List<string> KeySegments(List<Frame> frames, string leaf)
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
        return segments;
    }

    /// <param name="segments">The value's key path (<see cref="KeySegments"/>); changed for a compose variable.</param>
    /// <param name="inSequence">Whether the value is a sequence item.</param>
    private static Pending ToPending(string text, List<string> segments, bool inSequence, string value, int start, int length)
    {
        string leaf = segments[^1];
        bool compose = segments.Count == 4 && segments[0] == "services" && segments[2] == "environment" && inSequence;
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

        string? dataName = segments.Count == 2 && segments[0] == "data" && !inSequence ? leaf : null;
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
    private static (int Start, int Length) Span(string text, ScalarStyle style, long rawStart, long rawEnd)
    {
        int start = (int)Math.Clamp(rawStart, 0, text.Length);
        int end = (int)Math.Clamp(rawEnd, start, text.Length);
        switch (style)
        {
            case ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted:
                char quote = style == ScalarStyle.SingleQuoted ? '\'' : '"';
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
