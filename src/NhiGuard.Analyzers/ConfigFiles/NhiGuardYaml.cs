using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;

namespace NhiGuard.Analyzers.ConfigFiles;

/// <summary>The parts of a <c>.nhiguard.yaml</c> that the analyzers honour: the top-level <c>allow:</c> block and <c>disable:</c> list.</summary>
internal sealed record NhiGuardYamlSettings(
    ImmutableArray<string> Paths,
    ImmutableArray<string> Regexes,
    ImmutableArray<string> Stopwords,
    ImmutableArray<string> Disable)
{
    public static readonly NhiGuardYamlSettings Empty = new(ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);
}

/// <summary>
/// Reads <c>allow: { paths, regexes, stopwords }</c> and <c>disable:</c> from a <c>.nhiguard.yaml</c>
/// without a YAML library: block (<c>- x</c>) and flow (<c>[a, 'b']</c>) lists of plain, single- or
/// double-quoted scalars, and comments. Whatever it does not understand it skips silently: the CLI
/// is the one that validates the file and reports its mistakes.
/// </summary>
internal static class NhiGuardYaml
{
    private readonly struct Line
    {
        public Line(int indent, string content)
        {
            Indent = indent;
            Content = content;
        }

        public int Indent { get; }

        /// <summary>Without indentation, comment and trailing blanks; never empty.</summary>
        public string Content { get; }

        public bool IsSequenceItem => Content == "-" || Content.StartsWith("- ", StringComparison.Ordinal);
    }

    public static NhiGuardYamlSettings Read(string text)
    {
        List<Line> lines = Lines(text.TrimStart('\uFEFF'));
        var paths = ImmutableArray.CreateBuilder<string>();
        var regexes = ImmutableArray.CreateBuilder<string>();
        var stopwords = ImmutableArray.CreateBuilder<string>();
        var disable = ImmutableArray.CreateBuilder<string>();

        int i = 0;
        while (i < lines.Count)
        {
            Line line = lines[i++];
            // Only top-level keys; custom rules' own allow: blocks are nested deeper and skipped.
            if (line.Indent != 0 || line.IsSequenceItem || !TryKey(line.Content, out string key, out string rest))
            {
                continue;
            }

            if (key == "disable")
            {
                disable.AddRange(ReadList(lines, ref i, rest, 0));
            }
            else if (key == "allow" && rest.Length == 0 && i < lines.Count && lines[i].Indent > 0)
            {
                int fieldIndent = lines[i].Indent;
                while (i < lines.Count && lines[i].Indent > 0)
                {
                    Line field = lines[i++];
                    if (field.Indent != fieldIndent || field.IsSequenceItem || !TryKey(field.Content, out string name, out string value))
                    {
                        continue;
                    }

                    ImmutableArray<string> values = ReadList(lines, ref i, value, fieldIndent);
                    switch (name)
                    {
                        case "paths":
                            paths.AddRange(values);
                            break;
                        case "regexes":
                            regexes.AddRange(values);
                            break;
                        case "stopwords":
                            stopwords.AddRange(values);
                            break;
                    }
                }
            }
        }

        return new NhiGuardYamlSettings(paths.ToImmutable(), regexes.ToImmutable(), stopwords.ToImmutable(), disable.ToImmutable());
    }

    // A list after "key:": "[a, 'b']" (possibly over several lines), or "- x" items on the lines below.
    private static ImmutableArray<string> ReadList(List<Line> lines, ref int i, string rest, int ownerIndent)
    {
        if (rest.StartsWith("[", StringComparison.Ordinal))
        {
            var flow = new StringBuilder(rest);
            int next = i;
            while (true)
            {
                if (ParseFlowSequence(flow.ToString()) is { } items)
                {
                    i = next;
                    return items;
                }

                // Not closed yet: a flow list may continue on more deeply indented lines.
                if (next >= lines.Count || lines[next].Indent <= ownerIndent || !Unclosed(flow.ToString()))
                {
                    return ImmutableArray<string>.Empty;
                }

                flow.Append(' ').Append(lines[next++].Content);
            }
        }

        if (rest.Length > 0)
        {
            return ImmutableArray<string>.Empty;
        }

        var values = ImmutableArray.CreateBuilder<string>();
        // Items may sit at the key's own indentation ("disable:\n- x") or deeper.
        while (i < lines.Count && lines[i].IsSequenceItem && lines[i].Indent >= ownerIndent)
        {
            Line item = lines[i++];
            if (Scalar(item.Content.Substring(1).Trim(), inFlow: false) is { } value)
            {
                values.Add(value);
            }

            // Lines below an item that are not items themselves (a nested mapping...): not understood.
            while (i < lines.Count && lines[i].Indent > item.Indent)
            {
                i++;
            }
        }

        return values.ToImmutable();
    }

    private static bool Unclosed(string flow)
    {
        int depth = 0;
        char quote = '\0';
        for (int c = 0; c < flow.Length; c++)
        {
            char ch = flow[c];
            if (quote != '\0')
            {
                if (ch == '\\' && quote == '"')
                {
                    c++;
                }
                else if (ch == quote)
                {
                    quote = '\0';
                }
            }
            else if (ch is '\'' or '"')
            {
                quote = ch;
            }
            else if (ch == '[')
            {
                depth++;
            }
            else if (ch == ']')
            {
                depth--;
            }
        }

        return depth > 0;
    }

    // "[a, 'b', "c"]" with nothing after it; null for anything else (nested collections, a missing ']').
    private static ImmutableArray<string>? ParseFlowSequence(string s)
    {
        var items = ImmutableArray.CreateBuilder<string>();
        int p = 1;
        while (true)
        {
            p = SkipBlanks(s, p);
            if (p >= s.Length)
            {
                return null;
            }

            if (s[p] == ']')
            {
                return SkipBlanks(s, p + 1) == s.Length ? items.ToImmutable() : null;
            }

            string? item;
            if (s[p] is '\'' or '"')
            {
                int end = QuotedEnd(s, p);
                if (end < 0)
                {
                    return null;
                }

                item = Scalar(s.Substring(p, end - p + 1), inFlow: true);
                p = end + 1;
            }
            else
            {
                int start = p;
                while (p < s.Length && s[p] is not (',' or ']'))
                {
                    p++;
                }

                item = Scalar(s.Substring(start, p - start).Trim(), inFlow: true);
            }

            if (item is null)
            {
                return null;
            }

            items.Add(item);
            p = SkipBlanks(s, p);
            if (p < s.Length && s[p] == ',')
            {
                p++;
            }
            else if (p >= s.Length || s[p] != ']')
            {
                return null;
            }
        }
    }

    private static int SkipBlanks(string s, int p)
    {
        while (p < s.Length && s[p] is ' ' or '\t')
        {
            p++;
        }

        return p;
    }

    // The index of the quote closing the scalar that opens at s[start], or -1.
    private static int QuotedEnd(string s, int start)
    {
        char quote = s[start];
        for (int p = start + 1; p < s.Length; p++)
        {
            if (quote == '"' && s[p] == '\\')
            {
                p++;
            }
            else if (s[p] == quote)
            {
                if (quote == '\'' && p + 1 < s.Length && s[p + 1] == '\'')
                {
                    p++;
                    continue;
                }

                return p;
            }
        }

        return -1;
    }

    // One scalar, whole: quoted or plain; null for what is not a plain string (collections, tags, anchors, block scalars, mappings).
    private static string? Scalar(string s, bool inFlow)
    {
        if (s.Length == 0)
        {
            return null;
        }

        if (s[0] is '\'' or '"')
        {
            int end = QuotedEnd(s, 0);
            if (end != s.Length - 1)
            {
                return null;
            }

            string body = s.Substring(1, s.Length - 2);
            return s[0] == '\'' ? body.Replace("''", "'") : Unescape(body);
        }

        if (s[0] is '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or ',' or '?'
            || s.EndsWith(":", StringComparison.Ordinal) || s.IndexOf(": ", StringComparison.Ordinal) >= 0
            || (inFlow && s.IndexOfAny(new[] { '[', ']', '{', '}' }) >= 0))
        {
            return null;
        }

        return s;
    }

    private static string? Unescape(string body)
    {
        var sb = new StringBuilder(body.Length);
        for (int p = 0; p < body.Length; p++)
        {
            char c = body[p];
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++p >= body.Length)
            {
                return null;
            }

            switch (body[p])
            {
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '/': sb.Append('/'); break;
                case ' ': sb.Append(' '); break;
                case '0': sb.Append('\0'); break;
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'v': sb.Append('\v'); break;
                case 'f': sb.Append('\f'); break;
                case 'r': sb.Append('\r'); break;
                case 'e': sb.Append('\u001b'); break;
                case 'x' when Hex(body, p + 1, 2) is { } x: sb.Append((char)x); p += 2; break;
                case 'u' when Hex(body, p + 1, 4) is { } u: sb.Append((char)u); p += 4; break;
                default: return null;
            }
        }

        return sb.ToString();
    }

    private static int? Hex(string s, int start, int length)
    {
        if (start + length > s.Length)
        {
            return null;
        }

        int value = 0;
        for (int p = start; p < start + length; p++)
        {
            int digit = s[p] >= '0' && s[p] <= '9' ? s[p] - '0'
                : s[p] >= 'a' && s[p] <= 'f' ? s[p] - 'a' + 10
                : s[p] >= 'A' && s[p] <= 'F' ? s[p] - 'A' + 10
                : -1;
            if (digit < 0)
            {
                return null;
            }

            value = (value * 16) + digit;
        }

        return value;
    }

    // "name: rest" with a plain key.
    private static bool TryKey(string content, out string key, out string rest)
    {
        int colon = content.IndexOf(':');
        key = colon > 0 ? content.Substring(0, colon).Trim() : "";
        rest = "";
        if (colon <= 0 || (colon + 1 < content.Length && content[colon + 1] != ' ') || key.Length == 0)
        {
            return false;
        }

        foreach (char c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        rest = content.Substring(colon + 1).Trim();
        return true;
    }

    // Non-blank lines without their comments; lines indented with tabs (not YAML) are left out.
    private static List<Line> Lines(string text)
    {
        var lines = new List<Line>();
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOfAny(new[] { '\r', '\n' }, start);
            if (end < 0)
            {
                end = text.Length;
            }

            string raw = text.Substring(start, end - start);
            start = end + (end + 1 < text.Length && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);

            int indent = 0;
            while (indent < raw.Length && raw[indent] == ' ')
            {
                indent++;
            }

            if (indent < raw.Length && raw[indent] == '\t')
            {
                continue;
            }

            string content = StripComment(raw.Substring(indent)).TrimEnd();
            if (content.Length == 0 || (indent == 0 && (content.StartsWith("---", StringComparison.Ordinal) || content.StartsWith("...", StringComparison.Ordinal) || content.StartsWith("%", StringComparison.Ordinal))))
            {
                continue;
            }

            lines.Add(new Line(indent, content));
        }

        return lines;
    }

    // A '#' that starts the line or follows a blank, outside quotes. Quotes count only where a scalar
    // can start (after a blank, '[', ',' or '{'), so the apostrophe in "it's" is a letter.
    private static string StripComment(string s)
    {
        char quote = '\0';
        for (int p = 0; p < s.Length; p++)
        {
            char c = s[p];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    p++;
                }
                else if (c == quote)
                {
                    if (quote == '\'' && p + 1 < s.Length && s[p + 1] == '\'')
                    {
                        p++;
                    }
                    else
                    {
                        quote = '\0';
                    }
                }

                continue;
            }

            bool atScalarStart = p == 0 || s[p - 1] is ' ' or '\t' or '[' or ',' or '{';
            if (c == '#' && (p == 0 || s[p - 1] is ' ' or '\t'))
            {
                return s.Substring(0, p);
            }

            if (c is '\'' or '"' && atScalarStart)
            {
                quote = c;
            }
        }

        return s;
    }
}
