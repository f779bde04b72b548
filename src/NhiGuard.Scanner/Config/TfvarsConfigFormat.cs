using System.Globalization;
using System.Text;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// Terraform variable files (*.tfvars, *.auto.tfvars): <c>name = "value"</c>, with objects, blocks and
/// lists giving <c>db.password</c> and <c>users.0.token</c>. Heredoc values are read as written (<c>&lt;&lt;-</c>
/// indentation kept); only literal strings become entries, other expressions are skipped.
/// </summary>
internal sealed class TfvarsConfigFormat : IConfigFormat
{
    public static readonly TfvarsConfigFormat Instance = new();

    private enum Kind { End, Newline, Word, String, Punct }

    private readonly record struct Token(Kind Kind, int Start, int Length, string Value)
    {
        /// <summary>The punctuation char, or '\0' for other tokens (so a string "{" is never a brace).</summary>
        public char Punct => Kind == Kind.Punct ? Value[0] : '\0';
    }

    private enum State { ExpectKey, AfterKey, ExpectValue, AfterValue }

    private sealed class Frame(bool isTuple, string? segment)
    {
        public bool IsTuple { get; } = isTuple;
        public string? Segment { get; } = segment;
        public State State { get; set; } = isTuple ? State.ExpectValue : State.ExpectKey;
        public string? Key { get; set; }
        public int Index { get; set; }

        /// <summary>Brackets open inside a skipped expression.</summary>
        public int SkipDepth { get; set; }
    }

    public bool Handles(string relativePath) =>
        ConfigText.FileName(relativePath).EndsWith(".tfvars", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigEntry> Read(string text)
    {
        var entries = new EntryList();
        if (text.Length > ConfigText.MaxLength)
        {
            return entries.Entries;
        }

        var frames = new List<Frame> { new(isTuple: false, segment: null) };
        int i = 0;
        while (true)
        {
            Token token = Next(text, ref i);
            if (token.Kind == Kind.End || entries.Full)
            {
                return entries.Entries;
            }

            Frame top = frames[^1];
            if (top.State == State.AfterValue)
            {
                SkipExpression(frames, top, token);
            }
            else if (top.IsTuple)
            {
                TupleValue(text, frames, top, token, entries);
            }
            else
            {
                ObjectItem(text, frames, top, token, entries);
            }

            if (frames.Count > ConfigText.MaxDepth)
            {
                return entries.Entries;
            }
        }
    }

    private static void ObjectItem(string text, List<Frame> frames, Frame top, Token token, EntryList entries)
    {
        switch (top.State)
        {
            case State.ExpectKey when token.Kind is Kind.Word or Kind.String:
                top.Key = token.Value;
                top.State = State.AfterKey;
                break;
            case State.ExpectKey when token.Kind == Kind.Newline || token.Punct == ',':
                break;
            case State.ExpectKey when token.Punct == '}':
                Pop(frames);
                break;
            case State.AfterKey when token.Punct is '=' or ':':
                top.State = State.ExpectValue;
                break;
            case State.AfterKey when token.Kind is Kind.Word or Kind.String:
                // A block label: resource "name" { … }; an absurdly long key is dropped rather than grown.
                top.Key = top.Key is not null && top.Key.Length + token.Value.Length < EntryList.MaxKeyLength ? top.Key + "." + token.Value : null;
                break;
            case State.AfterKey when token.Punct == '{':
                top.State = State.ExpectKey;
                frames.Add(new Frame(isTuple: false, top.Key));
                break;
            case State.AfterKey or State.ExpectValue when token.Kind == Kind.Newline:
                top.State = State.ExpectKey;
                break;
            case State.ExpectValue:
                top.State = State.AfterValue;
                Value(text, frames, top, top.Key, token, entries);
                break;
            default:
                top.State = State.AfterValue;
                SkipExpression(frames, top, token);
                break;
        }
    }

    private static void TupleValue(string text, List<Frame> frames, Frame top, Token token, EntryList entries)
    {
        if (token.Kind == Kind.Newline || token.Punct == ',')
        {
            return;
        }

        if (token.Punct is ']' or '}')
        {
            Pop(frames);
            return;
        }

        top.State = State.AfterValue;
        Value(text, frames, top, (top.Index++).ToString(CultureInfo.InvariantCulture), token, entries);
    }

    /// <summary>Handles the first token of a value: a string is an entry, '{' and '[' open a nested frame.</summary>
    private static void Value(string text, List<Frame> frames, Frame top, string? segment, Token token, EntryList entries)
    {
        if (token.Kind == Kind.String && segment is not null && EntryList.KeyFits(frames.Select(f => f.Segment), segment.Length))
        {
            entries.Add(new ConfigEntry(Key(frames, segment), token.Value, token.Start, token.Length));
        }
        else if (token.Punct is '{' or '[')
        {
            frames.Add(new Frame(token.Punct == '[', segment));
        }
        else
        {
            SkipExpression(frames, top, token);
        }
    }

    /// <summary>Skips the rest of a value up to the separator or bracket that ends it.</summary>
    private static void SkipExpression(List<Frame> frames, Frame top, Token token)
    {
        if (token.Kind != Kind.Punct && token.Kind != Kind.Newline)
        {
            return;
        }

        if (token.Punct is '{' or '[' or '(')
        {
            top.SkipDepth++;
        }
        else if (top.SkipDepth > 0)
        {
            if (token.Punct is '}' or ']' or ')')
            {
                top.SkipDepth--;
            }
        }
        else if (token.Punct is '}' or ']')
        {
            Pop(frames);
        }
        else if (token.Punct == ',' || (token.Kind == Kind.Newline && !top.IsTuple))
        {
            top.State = top.IsTuple ? State.ExpectValue : State.ExpectKey;
        }
    }

    private static void Pop(List<Frame> frames)
    {
        if (frames.Count > 1)
        {
            frames.RemoveAt(frames.Count - 1);
        }
    }

    private static string Key(List<Frame> frames, string leaf)
    {
        var sb = new StringBuilder();
        foreach (Frame frame in frames)
        {
            if (frame.Segment is not null)
            {
                sb.Append(frame.Segment).Append('.');
            }
        }

        return sb.Append(leaf).ToString();
    }

    private static Token Next(string text, ref int i)
    {
        while (i < text.Length)
        {
            char c = text[i];
            if (c is '\n' or '\r')
            {
                int start = i;
                i = ConfigText.NextLine(text, i);
                return new Token(Kind.Newline, start, i - start, "\n");
            }

            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                i = ConfigText.LineEnd(text, i);
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? text.Length : close + 2;
            }
            else if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (i >= text.Length)
        {
            return new Token(Kind.End, i, 0, "");
        }

        int from = i;
        char first = text[i];
        if (first == '"')
        {
            return ReadString(text, ref i);
        }

        if (first == '<' && i + 1 < text.Length && text[i + 1] == '<' && TryReadHeredoc(text, ref i, out Token heredoc))
        {
            return heredoc;
        }

        if (char.IsLetterOrDigit(first) || first == '_')
        {
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '-'))
            {
                i++;
            }

            return new Token(Kind.Word, from, i - from, text[from..i]);
        }

        i++;
        return new Token(Kind.Punct, from, 1, text.Substring(from, 1));
    }

    /// <summary>Reads a quoted string; templates (${…}, %{…}) are kept as written, an unclosed string ends at the line break.</summary>
    private static Token ReadString(string text, ref int i)
    {
        int start = i + 1;
        int j = start;
        var sb = new StringBuilder();
        while (j < text.Length && text[j] is not ('"' or '\n' or '\r'))
        {
            char c = text[j];
            if (c is '$' or '%' && j + 1 < text.Length && text[j + 1] == '{')
            {
                int end = TemplateEnd(text, j + 2);
                sb.Append(text, j, end - j);
                j = end;
            }
            else if (c == '\\' && j + 1 < text.Length)
            {
                j = Escape(text, j, sb);
            }
            else
            {
                sb.Append(c);
                j++;
            }
        }

        i = j < text.Length && text[j] == '"' ? j + 1 : j;
        return new Token(Kind.String, start, j - start, sb.ToString());
    }

    /// <summary>The index after the '}' closing a template interpolation, skipping nested braces and strings on its line.</summary>
    private static int TemplateEnd(string text, int j)
    {
        int depth = 1;
        while (j < text.Length && text[j] is not ('\n' or '\r'))
        {
            char c = text[j++];
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return j;
            }
            else if (c == '"')
            {
                while (j < text.Length && text[j] is not ('"' or '\n' or '\r'))
                {
                    j += text[j] == '\\' ? 2 : 1;
                }

                j = Math.Min(j + 1, text.Length);
            }
        }

        return Math.Min(j, text.Length);
    }

    private static int Escape(string text, int j, StringBuilder sb)
    {
        char e = text[j + 1];
        switch (e)
        {
            case 'n': sb.Append('\n'); return j + 2;
            case 'r': sb.Append('\r'); return j + 2;
            case 't': sb.Append('\t'); return j + 2;
            case 'u' when j + 6 <= text.Length && ushort.TryParse(text.AsSpan(j + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code):
                sb.Append((char)code);
                return j + 6;
            case 'U' when j + 10 <= text.Length && int.TryParse(text.AsSpan(j + 2, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int scalar) && scalar is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF):
                sb.Append(char.ConvertFromUtf32(scalar));
                return j + 10;
            default:
                sb.Append(e);
                return j + 2;
        }
    }

    /// <summary>Reads <c>&lt;&lt;EOF</c> / <c>&lt;&lt;-EOF</c> … <c>EOF</c>; an unterminated heredoc runs to the end of the text.</summary>
    private static bool TryReadHeredoc(string text, ref int i, out Token token)
    {
        token = default;
        int j = i + 2;
        if (j < text.Length && text[j] == '-')
        {
            j++;
        }

        int markerStart = j;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '_'))
        {
            j++;
        }

        int lineEnd = ConfigText.LineEnd(text, j);
        if (j == markerStart || !text.AsSpan(j, lineEnd - j).IsWhiteSpace() || lineEnd >= text.Length)
        {
            return false;
        }

        ReadOnlySpan<char> marker = text.AsSpan(markerStart, j - markerStart);
        int contentStart = ConfigText.NextLine(text, lineEnd);
        int line = contentStart;
        int contentEnd = text.Length;
        int after = text.Length;
        while (line < text.Length)
        {
            int end = ConfigText.LineEnd(text, line);
            if (text.AsSpan(line, end - line).Trim().SequenceEqual(marker))
            {
                contentEnd = line;
                after = end;
                break;
            }

            line = ConfigText.NextLine(text, end);
        }

        // The content excludes the line break before the closing marker.
        int stop = contentEnd;
        if (stop > contentStart && text[stop - 1] == '\n')
        {
            stop--;
        }

        if (stop > contentStart && text[stop - 1] == '\r')
        {
            stop--;
        }

        i = after;
        token = new Token(Kind.String, contentStart, stop - contentStart, text[contentStart..stop]);
        return true;
    }
}
