using System;
using System.Collections.Generic;

namespace NhiGuard.Detection;

/// <summary>
/// Decides which regex engine suits a pattern. Measured on the catalog over 8 MB of source and
/// config: rules whose matches all begin with a literal run 2x faster in the backtracking
/// interpreter (no build cost, a vectorized search for the literal, little work per candidate);
/// rules without such a literal (generic assignments, Azure identifiable keys) run 10x faster
/// under NonBacktracking, whose build cost and memory are then worth paying. A repeated group
/// (the shape of catastrophic backtracking) always goes to NonBacktracking; the interpreter
/// runs under a timeout in any case.
/// </summary>
internal static class RegexShape
{
    private const int MinimumLiteral = 3;

    public static bool SuitsInterpreter(string pattern) => StartsWithLiteral(pattern) && !HasUnboundedGroupQuantifier(pattern);

    internal static bool StartsWithLiteral(string p)
    {
        int i = 0;
        while (i < p.Length)
        {
            if (At(p, i, "^"))
            {
                i += 1;
            }
            else if (At(p, i, @"\b"))
            {
                i += 2;
            }
            else if (At(p, i, "(?i)"))
            {
                i += 4;
            }
            else if (At(p, i, "(?<") && p.IndexOf('>', i) is int close && close > i)
            {
                i = close + 1;
            }
            else
            {
                break;
            }
        }

        // A group of alternatives, each starting with a literal: (?:AKIA|ASIA), (?i:datadog|dd_api).
        if (At(p, i, "(?:") || At(p, i, "(?i:"))
        {
            int open = At(p, i, "(?:") ? 3 : 4;
            int end = ClosingParenthesis(p, i);
            if (end < 0)
            {
                return false;
            }

            foreach (string alternative in SplitTopLevel(p.Substring(i + open, end - i - open)))
            {
                if (!StartsWithLiteral(alternative))
                {
                    return false;
                }
            }

            return true;
        }

        int literal = LiteralLength(p, i);

        // A literal's last character followed by '?', '*' or '{0' is optional after all.
        int after = i + literal;
        bool optionalLast = after < p.Length && (p[after] == '?' || p[after] == '*' || At(p, after, "{0"));
        return (optionalLast ? literal - 1 : literal) >= MinimumLiteral;
    }

    private static int ClosingParenthesis(string p, int open)
    {
        foreach ((int index, char c, int depth) in Structure(p, open))
        {
            if (c == ')' && depth == 0)
            {
                return index;
            }
        }

        return -1;
    }

    private static IEnumerable<string> SplitTopLevel(string body)
    {
        int from = 0;
        foreach ((int index, char c, int depth) in Structure(body, 0))
        {
            if (c == '|' && depth == 0)
            {
                yield return body.Substring(from, index - from);
                from = index + 1;
            }
        }

        yield return body.Substring(from);
    }

    /// <summary>The pattern's characters outside escapes and character classes, with the group depth after each.</summary>
    private static IEnumerable<(int Index, char Char, int Depth)> Structure(string p, int start)
    {
        int depth = 0;
        bool inClass = false;
        for (int i = start; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\')
            {
                i++;
            }
            else if (inClass)
            {
                inClass = c != ']';
            }
            else if (c == '[')
            {
                inClass = true;
            }
            else
            {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                yield return (i, c, depth);
            }
        }
    }

    private static int LiteralLength(string p, int start)
    {
        int i = start;
        while (i < p.Length)
        {
            char c = p[i];
            if (char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == ',' || c == '~' || c == '!' || c == '#' || c == '&' || c == '\'' || c == '"' || c == '<' || c == '>')
            {
                i++;
            }
            else if (c == '\\' && i + 1 < p.Length && "./-+*?()[]{}$^|".IndexOf(p[i + 1]) >= 0)
            {
                i += 2;
            }
            else
            {
                break;
            }
        }

        return i - start;
    }

    // (x+)+, (a|b)*: a repeated group is where backtracking turns exponential; a repeated
    // character or class after a literal costs at most the rest of the line per candidate.
    internal static bool HasUnboundedGroupQuantifier(string p)
    {
        bool inClass = false;
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == '#' && p.StartsWith("(?x", StringComparison.Ordinal))
            {
                // Comments of (?x) patterns say nothing about quantifiers.
                int newline = p.IndexOf('\n', i);
                i = newline < 0 ? p.Length : newline;
            }
            else if (c == ')' && i + 1 < p.Length)
            {
                char q = p[i + 1];
                if (q == '*' || q == '+')
                {
                    return true;
                }

                int close = q == '{' ? p.IndexOf('}', i + 1) : -1;
                if (close > i && p[close - 1] == ',')
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a match may stretch over many lines: [\s\S], (?s), or a quantifier of a thousand or more.</summary>
    internal static bool MaySpanFar(string p) =>
        p.IndexOf(@"[\s\S]", StringComparison.Ordinal) >= 0
        || p.IndexOf(@"[\S\s]", StringComparison.Ordinal) >= 0
        || System.Text.RegularExpressions.Regex.IsMatch(p, @"\(\?[imnx-]*s[imnsx-]*[:)]|\{\d*,?\d{4,}\}");

    /// <summary>Stands for "no bound" in <see cref="MaxLineBreaks"/>.</summary>
    internal const int Unbounded = int.MaxValue;

    /// <summary>
    /// How many line feeds one match of the pattern can hold at most, read from the pattern
    /// without running it: <c>\r?\n</c> counts one, <c>\s</c> or a negated class that does not
    /// exclude the line feed one per repetition, <c>\s+</c> or <c>[^"]*</c> any number
    /// (<see cref="Unbounded"/>). Conservative: a construct it does not know (lookarounds,
    /// backreferences, conditionals, class subtraction, an option switched inside the pattern)
    /// answers <see cref="Unbounded"/>.
    /// </summary>
    internal static int MaxLineBreaks(string pattern) => Read(pattern).LineBreaks;

    /// <summary>
    /// Whether every match holds an ASCII digit, read from the pattern like <see cref="MaxLineBreaks"/>
    /// (a mandatory <c>[0-9]</c> in every alternative; <c>\d</c>, which takes other scripts' digits
    /// too, does not count). A window without a digit then holds no match.
    /// </summary>
    internal static bool RequiresDigit(string pattern) => Read(pattern).Digit;

    /// <summary>Both readings of the pattern at once (<see cref="MaxLineBreaks"/>, <see cref="RequiresDigit"/>): one parse per rule.</summary>
    internal static Shape Read(string pattern) => Parse(pattern, words: false)?.Shape ?? new Shape(Unbounded, false);

    /// <summary>
    /// The pattern as a tree of <see cref="Part"/>s, with their <see cref="Part.Words"/> when
    /// <paramref name="words"/> (they cost sets of strings); null for a construct the reader does not follow.
    /// </summary>
    internal static Part? Parse(string pattern, bool words = true)
    {
        try
        {
            return new ShapeReader(pattern, words).Read();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>What a pattern or a part of it says about every match: its most line feeds, and whether it holds an ASCII digit.</summary>
    internal readonly record struct Shape(int LineBreaks, bool Digit);

    internal enum PartKind
    {
        /// <summary>Branches (each a <see cref="Sequence"/>).</summary>
        Alternation,

        /// <summary>Items matched one after another.</summary>
        Sequence,

        /// <summary>A parenthesized alternation (one part), opened by <see cref="Part.Opener"/>.</summary>
        Group,

        /// <summary>A character, class, escape or anchor.</summary>
        Atom,

        /// <summary>A part (the one part) under a quantifier.</summary>
        Quantified,

        /// <summary>An option switch such as <c>(?i)</c> that holds for the rest of its group.</summary>
        Options,
    }

    /// <summary>A piece of a parsed pattern: what its matches hold, where it is written, and its own parts.</summary>
    internal sealed class Part(PartKind kind, Shape shape, int start, int end)
    {
        /// <summary>The most strings <see cref="Words"/> holds, and the longest.</summary>
        internal const int MaxWords = 256;
        internal const int MaxWordLength = 64;

        public PartKind Kind { get; } = kind;

        public Shape Shape { get; } = shape;

        /// <summary>Where the part is written in the pattern (quantifier included); <see cref="End"/> is exclusive.</summary>
        public int Start { get; } = start;

        public int End { get; } = end;

        public IReadOnlyList<Part> Parts { get; init; } = Array.Empty<Part>();

        /// <summary>
        /// Every string the part can match, lower-cased (an upper-case match lower-cases into the
        /// set, so the set says what the text holds ignoring case), when they are at most
        /// <see cref="MaxWords"/> of at most <see cref="MaxWordLength"/> characters; otherwise null.
        /// Anchors match the empty string.
        /// </summary>
        public IReadOnlyCollection<string>? Words { get; init; }

        /// <summary>How a group opens: <c>(</c>, <c>(?:</c>, <c>(?&lt;name&gt;</c>, <c>(?-i:</c>, <c>(?&gt;</c>.</summary>
        public string? Opener { get; init; }

        /// <summary>
        /// The characters a match can start with (a superset: letters in both cases, anchors and
        /// lookbehind-free zero-width parts ignored); when <see cref="Nullable"/>, a match may also be empty.
        /// </summary>
        public CharSet First { get; init; } = CharSet.All;

        /// <summary>Whether the part can match the empty string.</summary>
        public bool Nullable { get; init; } = true;

        /// <summary>Every string of <paramref name="first"/> followed by every string of <paramref name="second"/>; null beyond the limits.</summary>
        internal static IReadOnlyCollection<string>? Concat(IReadOnlyCollection<string>? first, IReadOnlyCollection<string>? second)
        {
            if (first is null || second is null || (long)first.Count * second.Count > MaxWords)
            {
                return null;
            }

            var words = new HashSet<string>(StringComparer.Ordinal);
            foreach (string a in first)
            {
                foreach (string b in second)
                {
                    if (a.Length + b.Length > MaxWordLength)
                    {
                        return null;
                    }

                    words.Add(a + b);
                }
            }

            return words;
        }

        internal static IReadOnlyCollection<string>? Union(IReadOnlyCollection<string>? first, IReadOnlyCollection<string>? second)
        {
            if (first is null || second is null)
            {
                return null;
            }

            var words = new HashSet<string>(first, StringComparer.Ordinal);
            words.UnionWith(second);
            return words.Count <= MaxWords ? words : null;
        }
    }

    /// <summary>A set of characters: ASCII ones exactly, all others as one flag.</summary>
    internal readonly record struct CharSet(ulong Low, ulong High, bool Other)
    {
        public static readonly CharSet None = default;
        public static readonly CharSet All = new(ulong.MaxValue, ulong.MaxValue, true);

        public bool Contains(char c) => c < 64 ? ((Low >> c) & 1) != 0 : c < 128 ? ((High >> (c - 64)) & 1) != 0 : Other;

        public CharSet Union(CharSet other) => new(Low | other.Low, High | other.High, Other || other.Other);

        /// <summary>Every character not in the set (every non-ASCII one, to stay a superset).</summary>
        public CharSet Complement() => new(~Low, ~High, true);

        public static CharSet Range(int low, int high) =>
            new(Bits(low, high, 0), Bits(low, high, 64), high >= 128);

        // The bits of low..high that fall in the 64 characters from `from`.
        private static ulong Bits(int low, int high, int from)
        {
            int a = Math.Max(low, from) - from, b = Math.Min(high, from + 63) - from;
            return a > b ? 0 : (ulong.MaxValue >> (63 - b)) & (ulong.MaxValue << a);
        }

        public static CharSet Of(int c) => Range(c, c);

        /// <summary>
        /// With both cases of every ASCII letter, and the non-ASCII flag where case-insensitive
        /// matching takes another character for a letter (Kelvin sign for k, long s, dotted and dotless i).
        /// </summary>
        public CharSet FoldCase()
        {
            ulong upper = (High >> 1) & 0x3FFFFFF, lower = (High >> 33) & 0x3FFFFFF; // A-Z at 65-90, a-z at 97-122
            ulong letters = upper | lower;
            const ulong Hazards = (1UL << ('i' - 'a')) | (1UL << ('k' - 'a')) | (1UL << ('s' - 'a'));
            return new CharSet(Low, High | (letters << 1) | (letters << 33), Other || (letters & Hazards) != 0);
        }
    }

    /// <summary>A recursive-descent reading of .NET regex syntax into <see cref="Part"/>s, with the <see cref="Shape"/> of their matches.</summary>
    private sealed class ShapeReader
    {
        private static readonly string[] Empty = [""];

        private readonly string _p;
        private readonly bool _words;
        private readonly bool _extended;
        private readonly bool _singleLine;
        private int _i;

        public ShapeReader(string pattern, bool words)
        {
            _p = pattern;
            _words = words;

            // Options at the very start hold for the whole pattern; anywhere else only (?i), (?m)
            // and (?n) are followed (x and s change how the rest reads, so they give up).
            if (pattern.StartsWith("(?", StringComparison.Ordinal))
            {
                int end = 2;
                while (end < pattern.Length && "imnsx-".IndexOf(pattern[end]) >= 0)
                {
                    end++;
                }

                if (end < pattern.Length && pattern[end] == ')' && end > 2)
                {
                    string options = pattern.Substring(2, end - 2);
                    int minus = options.IndexOf('-');
                    string on = minus < 0 ? options : options.Substring(0, minus);
                    _extended = on.IndexOf('x') >= 0;
                    _singleLine = on.IndexOf('s') >= 0;
                    _i = end + 1;
                }
            }
        }

        public Part Read()
        {
            Part n = Alternation();
            if (_i < _p.Length)
            {
                throw new FormatException(); // an unbalanced ')'
            }

            return n;
        }

        // Any branch may match: the most line feeds of any, a digit only if every branch has one.
        private Part Alternation()
        {
            int start = _i;
            var branches = new List<Part> { Sequence() };
            while (_i < _p.Length && _p[_i] == '|')
            {
                _i++;
                branches.Add(Sequence());
            }

            Shape all = branches[0].Shape;
            IReadOnlyCollection<string>? words = branches[0].Words;
            CharSet first = branches[0].First;
            bool nullable = branches[0].Nullable;
            for (int b = 1; b < branches.Count; b++)
            {
                all = new Shape(Math.Max(all.LineBreaks, branches[b].Shape.LineBreaks), all.Digit && branches[b].Shape.Digit);
                words = _words ? Part.Union(words, branches[b].Words) : null;
                first = first.Union(branches[b].First);
                nullable |= branches[b].Nullable;
            }

            return new Part(PartKind.Alternation, all, start, _i) { Parts = branches, Words = words, First = first, Nullable = nullable };
        }

        // Every part matches: their line feeds add up, and one part's digit is the whole's.
        private Part Sequence()
        {
            int start = _i;
            var items = new List<Part>();
            var sum = new Shape(0, false);
            IReadOnlyCollection<string>? words = Empty;
            CharSet first = CharSet.None;
            bool nullable = true;
            while (true)
            {
                SkipIgnored();
                if (_i >= _p.Length || _p[_i] == '|' || _p[_i] == ')')
                {
                    return new Part(PartKind.Sequence, sum, start, _i) { Parts = items, Words = words, First = first, Nullable = nullable };
                }

                Part item = Quantified(Atom());
                items.Add(item);
                if (nullable)
                {
                    first = first.Union(item.First);
                    nullable = item.Nullable;
                }

                sum = new Shape(Add(sum.LineBreaks, item.Shape.LineBreaks), sum.Digit || item.Shape.Digit);
                words = _words ? Part.Concat(words, item.Words) : null;
            }
        }

        // In (?x) patterns, white space and # comments are not part of the pattern.
        private void SkipIgnored()
        {
            while (_extended && _i < _p.Length)
            {
                if (char.IsWhiteSpace(_p[_i]))
                {
                    _i++;
                }
                else if (_p[_i] == '#')
                {
                    int newline = _p.IndexOf('\n', _i);
                    _i = newline < 0 ? _p.Length : newline + 1;
                }
                else
                {
                    return;
                }
            }
        }

        private Part Atom()
        {
            int start = _i;
            char c = _p[_i++];
            switch (c)
            {
                case '(':
                    return Group(start);
                case '[':
                    (bool newline, bool digits, string? chars, CharSet set) = Class();
                    return Leaf(start, newline ? 1 : 0, digits, chars is null || !_words ? null : Letters(chars), set.FoldCase());
                case '\\':
                    int escape = _i;
                    Newline kind = Escape(inClass: false);
                    bool anchor = _p[escape] is 'b' or 'B' or 'A' or 'z' or 'Z' or 'G';
                    bool single = TryCharOf(escape, out int value);
                    IReadOnlyCollection<string>? words = !_words ? null : anchor ? Empty : single ? Letters(((char)value).ToString()) : null;
                    CharSet first = anchor ? CharSet.None : single ? CharSet.Of(value).FoldCase() : EscapeSet(_p[escape]) ?? CharSet.All;
                    return Leaf(start, kind == Newline.Yes ? 1 : 0, false, words, first, nullable: anchor);
                case '.':
                    return Leaf(start, _singleLine ? 1 : 0, false, null, CharSet.All);
                case '^' or '$':
                    return Leaf(start, 0, false, Empty, CharSet.None, nullable: true);
                case '*' or '+' or '?' or '{':
                    // A quantifier with nothing before it ('{' alone is a literal).
                    if (c == '{')
                    {
                        return Leaf(start, 0, false, _words ? Letters("{") : null, CharSet.Of('{'));
                    }

                    throw new FormatException();
                default:
                    return Leaf(start, c == '\n' ? 1 : 0, c is >= '0' and <= '9', _words ? Letters(c.ToString()) : null, CharSet.Of(c).FoldCase());
            }
        }

        private Part Leaf(int start, int lineBreaks, bool digit, IReadOnlyCollection<string>? words, CharSet first, bool nullable = false) =>
            new(PartKind.Atom, new Shape(lineBreaks, digit), start, _i) { Words = _words ? words : null, First = first, Nullable = nullable };

        // The characters of a class escape (\s, \w, \d and their complements); null for others.
        private static CharSet? EscapeSet(char c)
        {
            CharSet space = CharSet.Range('\t', '\r').Union(CharSet.Of(' ')) with { Other = true };
            CharSet digit = CharSet.Range('0', '9') with { Other = true };
            CharSet word = CharSet.Range('a', 'z').Union(CharSet.Range('A', 'Z')).Union(CharSet.Range('0', '9')).Union(CharSet.Of('_')) with { Other = true };
            return c switch
            {
                's' => space,
                'S' => space.Complement(),
                'd' => digit,
                'D' => digit.Complement(),
                'w' => word,
                'W' => word.Complement(),
                _ => null,
            };
        }

        // One word per character, lower-cased.
        private static string[] Letters(string chars)
        {
            var set = new SortedSet<string>(StringComparer.Ordinal);
            foreach (char c in chars)
            {
                set.Add(char.ToLowerInvariant(c).ToString());
            }

            return [.. set];
        }

        private Part Group(int start)
        {
            if (_i < _p.Length && _p[_i] == '?')
            {
                _i++;
                if (_i >= _p.Length)
                {
                    throw new FormatException();
                }

                char kind = _p[_i];
                if (kind == ':' || kind == '>')
                {
                    _i++;
                }
                else if (kind == '#')
                {
                    int close = _p.IndexOf(')', _i);
                    _i = close < 0 ? throw new FormatException() : close + 1;
                    return Leaf(start, 0, false, Empty, CharSet.None, nullable: true);
                }
                else if ((kind == '<' || kind == '\'') && _i + 1 < _p.Length && _p[_i + 1] != '=' && _p[_i + 1] != '!')
                {
                    // A named group: (?<name>...) or (?'name'...); a balancing group (?<a-b>) gives up.
                    char end = kind == '<' ? '>' : '\'';
                    int close = _p.IndexOf(end, _i + 1);
                    if (close < 0 || _p.IndexOf('-', _i + 1, close - _i - 1) >= 0)
                    {
                        throw new FormatException();
                    }

                    _i = close + 1;
                }
                else
                {
                    // Options: (?i:...) and (?-i:...) scope a group; a bare (?i) or (?m) goes on.
                    int options = _i;
                    while (_i < _p.Length && "imn-".IndexOf(_p[_i]) >= 0)
                    {
                        _i++;
                    }

                    if (_i == options || _i >= _p.Length)
                    {
                        // Lookarounds, conditionals, s and x switched inside: not followed.
                        throw new FormatException();
                    }

                    if (_p[_i] == ')')
                    {
                        _i++;
                        return new Part(PartKind.Options, new Shape(0, false), start, _i) { Words = Empty, First = CharSet.None, Nullable = true };
                    }

                    if (_p[_i] != ':')
                    {
                        throw new FormatException();
                    }

                    _i++;
                }
            }

            string opener = _p.Substring(start, _i - start);
            Part inner = Alternation();
            if (_i >= _p.Length || _p[_i] != ')')
            {
                throw new FormatException();
            }

            _i++;
            return new Part(PartKind.Group, inner.Shape, start, _i) { Parts = [inner], Words = inner.Words, Opener = opener, First = inner.First, Nullable = inner.Nullable };
        }

        private Part Quantified(Part atom)
        {
            SkipIgnored();
            if (_i >= _p.Length)
            {
                return atom;
            }

            long min, max;
            char q = _p[_i];
            if (q == '*' || q == '+')
            {
                _i++;
                (min, max) = (q == '+' ? 1 : 0, long.MaxValue);
            }
            else if (q == '?')
            {
                _i++;
                (min, max) = (0, 1);
            }
            else if (q == '{' && Bounds(out long lower, out long upper))
            {
                (min, max) = (lower, upper);
            }
            else
            {
                return atom;
            }

            if (_i < _p.Length && _p[_i] == '?')
            {
                _i++; // lazy
            }

            bool digit = atom.Shape.Digit && min >= 1;
            int lineBreaks = atom.Shape.LineBreaks == 0 ? 0
                : max == long.MaxValue || atom.Shape.LineBreaks == Unbounded ? Unbounded
                : (int)Math.Min(Unbounded, atom.Shape.LineBreaks * max);
            return new Part(PartKind.Quantified, new Shape(lineBreaks, digit), atom.Start, _i) { Parts = [atom], Words = _words ? Repeat(atom.Words, min, max) : null, First = atom.First, Nullable = atom.Nullable || min == 0 };
        }

        // The words of `min` to `max` repetitions, when that is a few.
        private static IReadOnlyCollection<string>? Repeat(IReadOnlyCollection<string>? words, long min, long max)
        {
            if (words is null || max > 4)
            {
                return null;
            }

            IReadOnlyCollection<string>? all = min == 0 ? Empty : null, power = Empty;
            for (long n = 1; n <= max && power is not null; n++)
            {
                power = Part.Concat(power, words);
                if (n >= min)
                {
                    all = all is null ? power : Part.Union(all, power);
                }
            }

            return power is null ? null : all;
        }

        // {n}, {n,}, {n,m}: true (and past it) with the upper bound; false when '{' is a literal.
        private bool Bounds(out long lower, out long upper)
        {
            lower = upper = 0;
            int close = _p.IndexOf('}', _i);
            if (close < 0)
            {
                return false;
            }

            string body = _p.Substring(_i + 1, close - _i - 1);
            int comma = body.IndexOf(',');
            string low = comma < 0 ? body : body.Substring(0, comma);
            string high = comma < 0 ? body : body.Substring(comma + 1);
            if (low.Length == 0 || !IsDigits(low) || (high.Length > 0 && !IsDigits(high)))
            {
                return false;
            }

            lower = long.Parse(low.Length > 9 ? "999999999" : low, System.Globalization.CultureInfo.InvariantCulture);
            upper = high.Length == 0 ? long.MaxValue : long.Parse(high.Length > 9 ? "999999999" : high, System.Globalization.CultureInfo.InvariantCulture);
            _i = close + 1;
            return true;
        }

        private static bool IsDigits(string s)
        {
            foreach (char c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }

        private enum Newline
        {
            No,
            Yes,
            Maybe,
        }

        // After '[': whether the class can match a line feed, whether it holds ASCII digits only,
        // and its characters when it lists a few (no negation, escape class or wide range).
        private (bool Newline, bool Digits, string? Chars, CharSet Set) Class()
        {
            const int FewCharacters = 8;
            bool negated = _i < _p.Length && _p[_i] == '^';
            if (negated)
            {
                _i++;
            }

            bool surely = false, maybe = false, first = true, digits = true;
            var chars = new System.Text.StringBuilder();
            bool listed = !negated;
            CharSet set = CharSet.None;
            while (true)
            {
                if (_i >= _p.Length)
                {
                    throw new FormatException();
                }

                char c = _p[_i++];
                if (c == ']' && !first)
                {
                    break;
                }

                first = false;
                int low;
                if (c == '\\')
                {
                    int before = _i;
                    Newline kind = Escape(inClass: true);
                    if (kind != Newline.No || !TryCharOf(before, out low))
                    {
                        surely |= kind == Newline.Yes;
                        maybe |= kind != Newline.No;
                        digits = false;
                        listed &= kind == Newline.Yes && _p[before] == 'n' && chars.Append('\n').Length <= FewCharacters;
                        set = set.Union(_p[before] == 'n' ? CharSet.Of('\n') : EscapeSet(_p[before]) ?? CharSet.All);
                        continue;
                    }
                }
                else if (c == '[' && _i < _p.Length && _p[_i] == ':')
                {
                    throw new FormatException();
                }
                else
                {
                    low = c;
                }

                // A range a-z (a '-' before ']' is a literal; '-[' is class subtraction).
                if (_i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
                {
                    if (_p[_i + 1] == '[')
                    {
                        throw new FormatException();
                    }

                    _i++;
                    int high;
                    if (_p[_i] == '\\')
                    {
                        _i++;
                        int before = _i;
                        if (Escape(inClass: true) != Newline.No || !TryCharOf(before, out high))
                        {
                            throw new FormatException();
                        }
                    }
                    else
                    {
                        high = _p[_i++];
                    }

                    bool holds = low <= '\n' && '\n' <= high;
                    surely |= holds;
                    maybe |= holds;
                    digits &= low >= '0' && high <= '9';
                    set = set.Union(CharSet.Range(low, high));
                    for (int r = low; listed && r <= high; r++)
                    {
                        listed = chars.Append((char)r).Length <= FewCharacters;
                    }

                    continue;
                }

                surely |= low == '\n';
                maybe |= low == '\n';
                digits &= low is >= '0' and <= '9';
                listed = listed && chars.Append((char)low).Length <= FewCharacters;
                set = set.Union(CharSet.Of(low));
            }

            return (negated ? !surely : maybe, digits && !negated, listed ? chars.ToString() : null, negated ? set.Complement() : set);
        }

        // The character an escape just read (from `start`, after the backslash) stands for.
        private bool TryCharOf(int start, out int value)
        {
            value = 0;
            char c = _p[start];
            string body = _p.Substring(start, _i - start);
            switch (c)
            {
                case 'x' or 'u':
                    return int.TryParse(body.Substring(1), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out value);
                case 'n':
                    value = '\n';
                    return true;
                case 't':
                    value = '\t';
                    return true;
                case 'r':
                    value = '\r';
                    return true;
                case 'f':
                    value = '\f';
                    return true;
                case 'v':
                    value = '\v';
                    return true;
                case 'e':
                    value = 27;
                    return true;
                case 'a':
                    value = 7;
                    return true;
                default:
                    if (body.Length == 1 && !char.IsLetterOrDigit(c))
                    {
                        value = c;
                        return true;
                    }

                    return false;
            }
        }

        // After a backslash: reads the escape and says whether it can stand for a line feed.
        private Newline Escape(bool inClass)
        {
            if (_i >= _p.Length)
            {
                throw new FormatException();
            }

            char c = _p[_i++];
            switch (c)
            {
                case 'n' or 's' or 'W' or 'D':
                    return Newline.Yes;
                case 'S' or 'w' or 'd' or 't' or 'r' or 'f' or 'v' or 'e' or 'a':
                    return Newline.No;
                case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G':
                    // Anchors outside a class; \b in a class is a backspace.
                    return Newline.No;
                case 'p' or 'P':
                    int close = _p.IndexOf('}', _i);
                    _i = close < 0 ? throw new FormatException() : close + 1;
                    return Newline.Maybe;
                case 'x':
                    return Hex(2);
                case 'u':
                    return Hex(4);
                case 'c':
                    if (_i >= _p.Length)
                    {
                        throw new FormatException();
                    }

                    char control = char.ToUpperInvariant(_p[_i++]);
                    return control == 'J' ? Newline.Yes : Newline.No;
                default:
                    if (char.IsDigit(c) || c == 'k')
                    {
                        // Backreferences and octal escapes: not followed.
                        throw new FormatException();
                    }

                    return Newline.No;
            }
        }

        private Newline Hex(int digits)
        {
            if (_i + digits > _p.Length)
            {
                throw new FormatException();
            }

            string hex = _p.Substring(_i, digits);
            _i += digits;
            return int.TryParse(hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int value)
                ? value == '\n' ? Newline.Yes : Newline.No
                : throw new FormatException();
        }

        private static int Add(int a, int b) => a == Unbounded || b == Unbounded ? Unbounded : (int)Math.Min(Unbounded - 1L, (long)a + b);
    }

    private static bool At(string p, int i, string s) => string.CompareOrdinal(p, i, s, 0, s.Length) == 0;
}
