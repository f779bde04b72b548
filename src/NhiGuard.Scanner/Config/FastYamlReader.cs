using System.Buffers;
using System.Text;
using YamlDotNet.Core;

namespace NhiGuard.Scanner.Config;

/// <summary>
/// A single-pass reader for the block-style YAML that configuration files are nearly always written in:
/// indented mappings and sequences (<c>- key: value</c> items too), one-line plain and quoted scalars,
/// comments, blank lines, <c>---</c> and <c>...</c>. It feeds the same events YamlDotNet's parser would
/// to the same <see cref="YamlConfigFormat.EntryBuilder"/>, several times faster. Anything outside that
/// subset (flow collections, anchors, tags, block or multi-line scalars, tabs, complex keys, directives)
/// and anything malformed returns null, and YamlDotNet reads the text instead.
/// </summary>
internal static class FastYamlReader
{
    /// <summary>YamlDotNet stops looking for a simple key's ':' after 1024 characters; stay well below that.</summary>
    private const int MaxKeySpan = 1000;

    /// <summary>
    /// Characters that YamlDotNet gives a meaning of its own (NUL ends the input; NEL, LS and PS break lines;
    /// a BOM past the start) or that no config file holds: their texts go to YamlDotNet.
    /// </summary>
    private static readonly SearchValues<char> Unsupported = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F"
        + "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"
        + "\u0085\u2028\u2029\uFEFF");

    /// <summary>Where a double-quoted scalar's plain run of characters stops: its end, an escape, a line break.</summary>
    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\\n\r");

    private enum LineKind
    {
        Content,
        DocumentStart,
        DocumentEnd,
        End,
    }

    /// <summary>What a scalar at some position turned out to be.</summary>
    private enum Probe
    {
        /// <summary>A scalar followed by <c>: </c>: a mapping key.</summary>
        Key,

        /// <summary>A scalar on its own.</summary>
        Scalar,

        /// <summary>Outside the subset, or malformed.</summary>
        Unsupported,
    }

    /// <summary>A scalar as read: its value, style, and offsets as YamlDotNet reports them (quotes included).</summary>
    private readonly record struct Token(string Value, ScalarStyle Style, int Start, int End);

    /// <summary>The entries of <paramref name="text"/>, or null when YamlDotNet must read it.</summary>
    internal static IReadOnlyList<ConfigEntry>? TryRead(string text)
    {
        if (text.Length > ConfigText.MaxLength)
        {
            return null;
        }

        // As in YamlConfigFormat: a leading BOM is not part of the YAML.
        int shift = text.StartsWith('\uFEFF') ? 1 : 0;
        ReadOnlySpan<char> body = text.AsSpan(shift);
        if (body.ContainsAny(Unsupported) || HasLoneCarriageReturn(body))
        {
            return null;
        }

        var builder = new YamlConfigFormat.EntryBuilder(text);
        return new Reader(text, builder).ReadStream(shift) ? builder.Finish() : null;
    }

    /// <summary>A '\r' not followed by '\n' breaks a line for YamlDotNet; this reader only knows '\n' and "\r\n".</summary>
    private static bool HasLoneCarriageReturn(ReadOnlySpan<char> text)
    {
        int from = 0;
        while (true)
        {
            int cr = text[from..].IndexOf('\r');
            if (cr < 0)
            {
                return false;
            }

            cr += from;
            if (cr + 1 >= text.Length || text[cr + 1] != '\n')
            {
                return true;
            }

            from = cr + 2;
        }
    }

    /// <summary>
    /// One pass over the text. The current line is the next line holding content: its start, its first
    /// non-space character and its kind; each method leaves the current line at the line after what it read.
    /// Every method returns false when the text is outside the subset.
    /// </summary>
    private sealed class Reader(string text, YamlConfigFormat.EntryBuilder builder)
    {
        private int _line;
        private int _at;
        private int _indent;
        private LineKind _kind;

        /// <summary>Reads every document from <paramref name="start"/> (past a BOM) on; false when the text is outside the subset.</summary>
        public bool ReadStream(int start)
        {
            _line = start;
            if (!NextContent())
            {
                return false;
            }

            while (_kind != LineKind.End)
            {
                if (_kind == LineKind.DocumentEnd)
                {
                    // "..." with no document before it: YamlDotNet's handling of that is not worth copying.
                    return false;
                }

                if (_kind == LineKind.DocumentStart && !FinishLine(_at + 3))
                {
                    return false;
                }

                builder.DocumentStart();
                if (_kind == LineKind.Content && !(ReadRoot() && _kind != LineKind.Content))
                {
                    return false;
                }

                if (_kind == LineKind.DocumentEnd)
                {
                    // Only "---" or the end may follow "...": YamlDotNet starts some documents without "---" there, and not others.
                    if (!FinishLine(_at + 3) || _kind is not (LineKind.End or LineKind.DocumentStart))
                    {
                        return false;
                    }
                }

                builder.DocumentEnd();
                if (builder.Stopped)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The root collection of a document; a document that is a single scalar is left to YamlDotNet.</summary>
        private bool ReadRoot()
        {
            if (IsSequenceEntry(_at))
            {
                return ReadSequence(_indent);
            }

            return ReadScalarOrKey(_at, out Token key, out int afterColon) == Probe.Key && ReadMapping(_indent, key, afterColon);
        }

        /// <summary>A block mapping whose keys are at column <paramref name="column"/>; its first key is already read.</summary>
        private bool ReadMapping(int column, Token key, int afterColon)
        {
            if (!StartCollection(isSequence: false))
            {
                return false;
            }

            while (true)
            {
                if (!Emit(key) || !ReadMappingValue(column, afterColon))
                {
                    return false;
                }

                if (_kind != LineKind.Content || _indent < column)
                {
                    break;
                }

                // A deeper line after a complete value would continue a scalar, or is malformed; so is "- " at the keys' column.
                if (_indent > column || IsSequenceEntry(_at) || ReadScalarOrKey(_at, out key, out afterColon) != Probe.Key)
                {
                    return false;
                }
            }

            builder.CollectionEnd();
            return true;
        }

        /// <summary>A block sequence whose "-" are at column <paramref name="column"/>; the current line is its first entry.</summary>
        private bool ReadSequence(int column)
        {
            if (!StartCollection(isSequence: true))
            {
                return false;
            }

            while (true)
            {
                if (!ReadSequenceItem(column, _at + 1))
                {
                    return false;
                }

                if (_kind != LineKind.Content || _indent < column)
                {
                    break;
                }

                // As in a mapping: a deeper line after a complete item would continue a scalar, or is malformed.
                if (_indent > column)
                {
                    return false;
                }

                if (!IsSequenceEntry(_at))
                {
                    // A key at the same column ends an indentless sequence; where that is not allowed the caller rejects it.
                    break;
                }
            }

            builder.CollectionEnd();
            return true;
        }

        /// <summary>The value after a key's ':' (<paramref name="from"/> is just past it) in a mapping at <paramref name="column"/>.</summary>
        private bool ReadMappingValue(int column, int from)
        {
            int at = SkipSpaces(from);
            if (IsLineEnd(at) || text[at] == '#')
            {
                return ReadValueOnNextLines(column, at, indentlessSequence: true);
            }

            // "key: - item" and "key: a: b" are errors to YamlDotNet.
            if (IsSequenceEntry(at) || ReadScalarOrKey(at, out Token value, out _) != Probe.Scalar)
            {
                return false;
            }

            return Emit(value) && FinishLine(value.End);
        }

        /// <summary>An item after a "-" (<paramref name="from"/> is just past it) of a sequence at <paramref name="column"/>.</summary>
        private bool ReadSequenceItem(int column, int from)
        {
            int at = SkipSpaces(from);
            if (IsLineEnd(at) || text[at] == '#')
            {
                return ReadValueOnNextLines(column, at, indentlessSequence: false);
            }

            // "- - item" (a sequence in a sequence on one line) is valid but rare: left to YamlDotNet.
            if (IsSequenceEntry(at))
            {
                return false;
            }

            switch (ReadScalarOrKey(at, out Token token, out int afterColon))
            {
                case Probe.Key:
                    // "- key: value": a mapping whose keys are at the column of this first key.
                    return ReadMapping(at - _line, token, afterColon);
                case Probe.Scalar:
                    return Emit(token) && FinishLine(token.End);
                default:
                    return false;
            }
        }

        /// <summary>
        /// A value left empty on its line (<paramref name="at"/> is the line's end or comment): a collection on the
        /// following, deeper lines, an indentless "- " sequence at the key's own column, or else null.
        /// </summary>
        private bool ReadValueOnNextLines(int column, int at, bool indentlessSequence)
        {
            _line = NextLineStart(LineEnd(at));
            if (!NextContent())
            {
                return false;
            }

            if (_kind == LineKind.Content && (_indent > column || (indentlessSequence && _indent == column && IsSequenceEntry(_at))))
            {
                if (IsSequenceEntry(_at))
                {
                    return ReadSequence(_indent);
                }

                // A deeper line that is not a key would be a scalar on the next line, possibly multi-line: left to YamlDotNet.
                return ReadScalarOrKey(_at, out Token key, out int afterColon) == Probe.Key && ReadMapping(_indent, key, afterColon);
            }

            // Nothing written: YamlDotNet reports an empty plain scalar, which takes its path segment but makes no entry.
            return Emit(new Token("", ScalarStyle.Plain, at, at));
        }

        /// <summary>
        /// Reads the scalar at <paramref name="at"/> and tells whether a ':' and a space (or line end) follow it.
        /// A plain scalar ends at the line's end or at " #"; quoted scalars must close on their line.
        /// </summary>
        private Probe ReadScalarOrKey(int at, out Token token, out int afterColon)
        {
            afterColon = -1;
            char first = text[at];
            if (first is '"' or '\'')
            {
                bool read = first == '"' ? ReadDoubleQuoted(at, out string value, out int end) : ReadSingleQuoted(at, out value, out end);
                token = new Token(value, first == '"' ? ScalarStyle.DoubleQuoted : ScalarStyle.SingleQuoted, at, end);
                if (!read)
                {
                    return Probe.Unsupported;
                }

                int colon = SkipSpaces(end);
                if (colon < text.Length && text[colon] == ':' && IsBlankOrLineEnd(colon + 1))
                {
                    afterColon = colon + 1;
                    return colon - at > MaxKeySpan ? Probe.Unsupported : Probe.Key;
                }

                return Probe.Scalar;
            }

            token = default;
            if (!IsPlainStart(at))
            {
                return Probe.Unsupported;
            }

            int last = at;
            bool aliasWord = false;
            for (int i = at; i < text.Length; i++)
            {
                char c = text[i];
                if (c == ' ')
                {
                    aliasWord = false;
                    continue;
                }

                if (c is '\n' or '\r' || (c == '#' && text[i - 1] == ' '))
                {
                    break;
                }

                // YamlDotNet takes a word starting with '*' for an alias, and a ': ' in it ends nothing ("0 * * * *" is fine).
                aliasWord |= c == '*' && text[i - 1] == ' ';

                // A ':' before a tab would separate a key too; the tab is rejected below.
                if (c == ':' && IsBlankOrLineEnd(i + 1))
                {
                    // A key starting with '-' could be mistaken for a document or sequence marker: left to YamlDotNet.
                    if (aliasWord || first == '-' || i - at > MaxKeySpan)
                    {
                        return Probe.Unsupported;
                    }

                    token = new Token(text[at..last], ScalarStyle.Plain, at, last);
                    afterColon = i + 1;
                    return Probe.Key;
                }

                if (c == '\t')
                {
                    return Probe.Unsupported;
                }

                last = i + 1;
            }

            token = new Token(text[at..last], ScalarStyle.Plain, at, last);
            return Probe.Scalar;
        }

        /// <summary>Whether a plain scalar may start here, as YamlDotNet decides it; '?' and ':' starts are left to YamlDotNet.</summary>
        private bool IsPlainStart(int at) => text[at] switch
        {
            '-' => at + 1 < text.Length && text[at + 1] is not (' ' or '\t' or '\n' or '\r'),
            ' ' or '\t' or '\n' or '\r' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!'
                or '|' or '>' or '\'' or '"' or '%' or '@' or '`' => false,
            _ => true,
        };

        /// <summary>A single-quoted scalar on one line: '' is a quote.</summary>
        private bool ReadSingleQuoted(int at, out string value, out int end)
        {
            value = "";
            end = -1;
            StringBuilder? unescaped = null;
            int run = at + 1;
            int i = run;
            while (true)
            {
                int found = text.AsSpan(i).IndexOfAny('\'', '\n', '\r');
                if (found < 0 || text[i + found] != '\'')
                {
                    return false;
                }

                i += found;
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    (unescaped ??= new StringBuilder()).Append(text, run, i + 1 - run);
                    i += 2;
                    run = i;
                    continue;
                }

                value = unescaped is null ? text[run..i] : unescaped.Append(text, run, i - run).ToString();
                end = i + 1;
                return true;
            }
        }

        /// <summary>A double-quoted scalar on one line, its escapes decoded as YamlDotNet decodes them.</summary>
        private bool ReadDoubleQuoted(int at, out string value, out int end)
        {
            value = "";
            end = -1;
            StringBuilder? unescaped = null;
            int run = at + 1;
            int i = run;
            while (true)
            {
                int found = text.AsSpan(i).IndexOfAny(DoubleQuotedStops);
                if (found < 0)
                {
                    return false;
                }

                i += found;
                if (text[i] == '"')
                {
                    value = unescaped is null ? text[run..i] : unescaped.Append(text, run, i - run).ToString();
                    end = i + 1;
                    return true;
                }

                // A line break inside the quotes, escaped or not, makes a multi-line scalar.
                if (text[i] != '\\' || i + 1 >= text.Length)
                {
                    return false;
                }

                unescaped ??= new StringBuilder();
                unescaped.Append(text, run, i - run);
                char escape = text[i + 1];
                int digits = escape switch
                {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                if (digits == 0)
                {
                    char? simple = SimpleEscape(escape);
                    if (simple is null)
                    {
                        return false;
                    }

                    unescaped.Append(simple.Value);
                    i += 2;
                }
                else
                {
                    long code = 0;
                    for (int k = i + 2; k < i + 2 + digits; k++)
                    {
                        int digit = k < text.Length ? HexValue(text[k]) : -1;
                        if (digit < 0)
                        {
                            return false;
                        }

                        code = (code << 4) + digit;
                    }

                    // YamlDotNet pairs surrogate escapes in its own way and rejects what is past Unicode: left to it.
                    if (code is >= 0xD800 and <= 0xDFFF || code > 0x10FFFF)
                    {
                        return false;
                    }

                    unescaped.Append(char.ConvertFromUtf32((int)code));
                    i += 2 + digits;
                }

                run = i;
            }
        }

        /// <summary>YamlDotNet's one-character escapes (its SimpleEscapeCodes); null for any other.</summary>
        private static char? SimpleEscape(char escape) => escape switch
        {
            '0' => '\0',
            'a' => '\a',
            'b' => '\b',
            't' or '\t' => '\t',
            'n' => '\n',
            'v' => '\v',
            'f' => '\f',
            'r' => '\r',
            'e' => '\u001B',
            ' ' => ' ',
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'N' => '\u0085',
            '_' => '\u00A0',
            'L' => '\u2028',
            'P' => '\u2029',
            _ => null,
        };

        private static int HexValue(char c) => c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };

        private bool StartCollection(bool isSequence)
        {
            builder.CollectionStart(isSequence);
            return !builder.Stopped;
        }

        /// <summary>
        /// Gives a scalar to the builder. False once the builder stops: YamlDotNet's reader stops at that very
        /// event, and the entry count can fall again later, so only YamlDotNet can say what it would keep.
        /// </summary>
        private bool Emit(Token token)
        {
            builder.Scalar(token.Value, token.Style, token.Start, token.End);
            return !builder.Stopped;
        }

        /// <summary>Checks that only spaces and a comment follow <paramref name="from"/> on its line, then moves to the next content line.</summary>
        private bool FinishLine(int from)
        {
            int at = SkipSpaces(from);
            if (at < text.Length && text[at] == '#' && at > 0 && text[at - 1] == ' ')
            {
                at = LineEnd(at);
            }

            if (!IsLineEnd(at))
            {
                return false;
            }

            _line = NextLineStart(at);
            return NextContent();
        }

        /// <summary>Moves from <c>_line</c> past blank and comment lines to the next line with content, and classifies it.</summary>
        private bool NextContent()
        {
            while (true)
            {
                int at = SkipSpaces(_line);
                _at = at;
                _indent = at - _line;
                if (at == text.Length)
                {
                    _kind = LineKind.End;
                    return true;
                }

                char c = text[at];
                if (c is '\n' or '\r' or '#')
                {
                    _line = NextLineStart(LineEnd(at));
                    continue;
                }

                // A tab in indentation is an error to YAML, and YamlDotNet's rules for tabs elsewhere are subtle.
                if (c == '\t')
                {
                    return false;
                }

                _kind = LineKind.Content;
                if (_indent == 0 && at + 3 <= text.Length && (c == '-' || c == '.') && text[at + 1] == c && text[at + 2] == c)
                {
                    if (at + 3 < text.Length && text[at + 3] == '\t')
                    {
                        return false;
                    }

                    if (IsBlankOrLineEnd(at + 3))
                    {
                        _kind = c == '-' ? LineKind.DocumentStart : LineKind.DocumentEnd;
                    }
                }

                return true;
            }
        }

        private bool IsSequenceEntry(int at) => text[at] == '-' && IsBlankOrLineEnd(at + 1);

        /// <summary>A space, a line break or the end of the text (a tab is none of these here).</summary>
        private bool IsBlankOrLineEnd(int at) => at >= text.Length || text[at] is ' ' or '\n' or '\r';

        private bool IsLineEnd(int at) => at >= text.Length || text[at] is '\n' or '\r';

        private int SkipSpaces(int at)
        {
            while (at < text.Length && text[at] == ' ')
            {
                at++;
            }

            return at;
        }

        /// <summary>The index of the '\r' or '\n' ending the line of <paramref name="at"/>, or the text's length.</summary>
        private int LineEnd(int at) => ConfigText.LineEnd(text, at);

        /// <summary>The start of the next line, given a line's end (every '\r' here is followed by '\n').</summary>
        private int NextLineStart(int lineEnd) =>
            lineEnd >= text.Length ? text.Length : text[lineEnd] == '\r' ? lineEnd + 2 : lineEnd + 1;
    }
}
