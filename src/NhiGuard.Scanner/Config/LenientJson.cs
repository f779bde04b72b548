using System.Globalization;
using System.Text;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// A forgiving JSON reader over chars (so offsets are char offsets): accepts comments, trailing commas,
/// single-quoted strings and bare keys, and reports every string value with its path.
/// </summary>
internal static class LenientJson
{
    /// <summary>Receives a string value: its path (object keys and array indexes, leaf last) and its span without quotes.</summary>
    public delegate void StringVisitor(IReadOnlyList<string> path, string value, int start, int length);

    private enum Kind { End, OpenObject, OpenArray, Close, Colon, Comma, String, Literal }

    private readonly record struct Token(Kind Kind, int Start, int Length, string? Value = null);

    private sealed class Frame(bool isArray, bool hasSegment, bool muted)
    {
        public bool IsArray { get; } = isArray;
        public bool HasSegment { get; } = hasSegment;
        public bool Muted { get; } = muted;
        public string? Key { get; set; }
        public int Count { get; set; }
    }

    /// <summary>Reads until the end of the text or until <paramref name="entries"/> is full.</summary>
    public static void Read(string text, EntryList entries, StringVisitor onString)
    {
        if (text.Length > ConfigText.MaxLength)
        {
            return;
        }

        var frames = new List<Frame>();
        var path = new List<string>();
        int i = 0;
        while (!entries.Full)
        {
            Token token = Next(text, ref i);
            Frame? top = frames.Count > 0 ? frames[^1] : null;
            switch (token.Kind)
            {
                case Kind.End:
                    return;
                case Kind.OpenObject or Kind.OpenArray:
                    if (frames.Count >= ConfigText.MaxDepth)
                    {
                        return;
                    }

                    string? segment = TakeSegment(top);
                    bool muted = top is not null && (top.Muted || segment is null);
                    if (segment is not null)
                    {
                        path.Add(segment);
                    }

                    frames.Add(new Frame(token.Kind == Kind.OpenArray, segment is not null, muted));
                    break;
                case Kind.Close:
                    if (top is not null)
                    {
                        frames.RemoveAt(frames.Count - 1);
                        if (top.HasSegment)
                        {
                            path.RemoveAt(path.Count - 1);
                        }
                    }

                    break;
                case Kind.Comma:
                    if (top is { IsArray: false })
                    {
                        top.Key = null;
                    }

                    break;
                case Kind.String or Kind.Literal:
                    if (top is { IsArray: false, Key: null })
                    {
                        // A string (or bare word) where a key is due is the key.
                        top.Key = token.Kind == Kind.String ? token.Value : text.Substring(token.Start, token.Length);
                        break;
                    }

                    string? leaf = TakeSegment(top);
                    if (token.Kind == Kind.String && leaf is not null && top is { Muted: false })
                    {
                        path.Add(leaf);
                        if (EntryList.KeyFits(path))
                        {
                            onString(path, token.Value!, token.Start, token.Length);
                        }

                        path.RemoveAt(path.Count - 1);
                    }

                    break;
            }
        }
    }

    /// <summary>The path segment of the value about to start in <paramref name="top"/>; null when it has none.</summary>
    private static string? TakeSegment(Frame? top)
    {
        if (top is null)
        {
            return null;
        }

        if (top.IsArray)
        {
            return (top.Count++).ToString(CultureInfo.InvariantCulture);
        }

        string? key = top.Key;
        top.Key = null;
        return key;
    }

    private static Token Next(string text, ref int i)
    {
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i = ConfigText.LineEnd(text, i);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
            }
            else
            {
                break;
            }
        }

        if (i >= text.Length)
        {
            return new Token(Kind.End, i, 0);
        }

        int start = i;
        switch (text[i])
        {
            case '{':
                i++;
                return new Token(Kind.OpenObject, start, 1);
            case '[':
                i++;
                return new Token(Kind.OpenArray, start, 1);
            case '}' or ']':
                i++;
                return new Token(Kind.Close, start, 1);
            case ':':
                i++;
                return new Token(Kind.Colon, start, 1);
            case ',':
                i++;
                return new Token(Kind.Comma, start, 1);
            case '"' or '\'':
                return ReadString(text, ref i);
        }

        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or '[' or ']' or ':' or ',' or '"' or '\'' or '/'))
        {
            i++;
        }

        if (i == start)
        {
            i++; // a lone '/' that starts no comment
        }

        return new Token(Kind.Literal, start, i - start);
    }

    /// <summary>Reads a quoted string; one left open ends at the line break, as JSON strings cannot span lines.</summary>
    private static Token ReadString(string text, ref int i)
    {
        char quote = text[i];
        int start = i + 1;
        int j = start;
        StringBuilder? sb = null;
        while (j < text.Length && text[j] != quote && text[j] is not ('\n' or '\r'))
        {
            if (text[j] != '\\')
            {
                sb?.Append(text[j]);
                j++;
                continue;
            }

            sb ??= new StringBuilder().Append(text, start, j - start);
            if (j + 1 >= text.Length)
            {
                j++;
                break;
            }

            char e = text[j + 1];
            j += 2;
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u' when j + 4 <= text.Length && ushort.TryParse(text.AsSpan(j, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                    sb.Append((char)code);
                    j += 4;
                    break;
                default: sb.Append(e); break;
            }
        }

        string value = sb?.ToString() ?? text.Substring(start, j - start);
        int length = Math.Min(j, text.Length) - start;
        i = j < text.Length && text[j] == quote ? j + 1 : j;
        return new Token(Kind.String, start, length, value);
    }
}
