using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace NhiGuard.Detection;

/// <summary>
/// What must follow one of a rule's keywords wherever the rule matches, read from its pattern, so
/// that a window whose keywords are all followed by something else is skipped without running the
/// rule's regex.
/// </summary>
/// <remarks>
/// The generic rules are built as "key, then an assignment, then a value", and the key ends with
/// the keyword (<c>refresh_token</c>, <c>DB_PASSWORD</c>). In code most of their keywords are in
/// names (<c>tokenCache</c>, <c>GetToken(</c>), prose or log messages: on the generated benchmark
/// history none of the generic rules' 30,000 windows held a keyword followed by an assignment, yet
/// each window cost a NonBacktracking regex a pass (and its first windows the regex's 50-100 ms
/// build and the lazily built DFA). The gate is exact, not a heuristic: in every branch of the
/// pattern it finds a part after which the match has surely passed a keyword (a literal
/// <c>token</c>, or a few alternatives each holding one, such as <c>auth[_.-]?key</c>), and what
/// the branch matches from that keyword's end on is what the gate's regex asks for, anchored there.
/// A match of the rule therefore holds a keyword after which the gate's regex matches; where no
/// keyword is followed by a match of the gate's regex, the rule has no match. Patterns it cannot
/// read that way (a branch without such a keyword, lookarounds, backreferences, an option switched
/// inside) get no gate.
/// </remarks>
internal sealed class KeywordGate
{
#if NET
    // Characters that case-insensitive regexes take for ASCII letters (Kelvin sign for k, long s
    // for s, dotted and dotless i), which an ordinal search ignoring case does not: a window
    // holding one runs the rule's regex, as without the gate.
    private const string CaseFoldingHazards = "\u212A\u017F\u0130\u0131";

    private readonly string[] _keywords;
    private readonly bool[] _ascii;
    private readonly System.Buffers.SearchValues<string> _search;
    private readonly Regex _after;

    private KeywordGate(string[] keywords, Regex after)
    {
        _keywords = keywords;
        _ascii = keywords.Select(k => System.Text.Ascii.IsValid(k)).ToArray();
        _search = System.Buffers.SearchValues.Create(keywords, StringComparison.OrdinalIgnoreCase);
        _after = after;
    }

    /// <summary>The regex that must match right after a keyword (for tests and diagnostics).</summary>
    internal string Pattern => _after.ToString();
#else
    private KeywordGate()
    {
    }
#endif

    /// <summary>The gate for a rule's pattern and keywords; null when the pattern does not say what follows its keywords.</summary>
    public static KeywordGate? Create(string pattern, IEnumerable<string> keywords, TimeSpan timeout)
    {
#if NET
        string[] lower = keywords.Select(k => k.ToLowerInvariant()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        RegexShape.Part? root = lower.Length == 0 ? null : RegexShape.Parse(pattern);
        if (root is null || HasOptionSwitch(root))
        {
            return null;
        }

        List<string>? after = new SuffixReader(pattern, lower).After(root, "");
        if (after is null)
        {
            return null;
        }

        // The options the pattern starts with (such as (?xim)) hold for the gate's regex too.
        string text = pattern.Substring(0, root.Start) + @"\G(?:" + string.Join("|", after.Select(a => "(?:" + a + ")")) + ")";
        try
        {
            return new KeywordGate(lower, new Regex(text, RegexOptions.CultureInvariant, timeout));
        }
        catch (ArgumentException)
        {
            return null;
        }
#else
        return null;
#endif
    }

    /// <summary>
    /// Whether the rule may match in <c>text[start..end)</c>: some keyword there is followed by
    /// what the rule's pattern allows after it (or the window holds a character that case-insensitive
    /// matching takes for an ASCII letter).
    /// </summary>
    public bool Passes(string text, int start, int end)
    {
#if NET
        ReadOnlySpan<char> window = text.AsSpan(start, end - start);
        if (window.IndexOfAny(CaseFoldingHazards) >= 0)
        {
            return true;
        }

        for (int from = 0; from < window.Length;)
        {
            int at = window.Slice(from).IndexOfAny(_search);
            if (at < 0)
            {
                return false;
            }

            at += from;
            for (int k = 0; k < _keywords.Length; k++)
            {
                string keyword = _keywords[k];
                if (at + keyword.Length <= window.Length
                    && (_ascii[k] ? System.Text.Ascii.EqualsIgnoreCase(window.Slice(at, keyword.Length), keyword) : window.Slice(at).StartsWith(keyword, StringComparison.OrdinalIgnoreCase))
                    && After(window, at + keyword.Length))
                {
                    return true;
                }
            }

            from = at + 1;
        }

        return false;
#else
        return true;
#endif
    }

#if NET
    // Seen through the same window as the rule's regex sees it, so anchors and \b agree.
    private bool After(ReadOnlySpan<char> window, int at)
    {
        try
        {
            return _after.IsMatch(window, at);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }
#endif

    private static bool HasOptionSwitch(RegexShape.Part part) =>
        part.Kind == RegexShape.PartKind.Options || part.Parts.Any(HasOptionSwitch);

    /// <summary>Finds, branch by branch, where a keyword has surely been matched, and writes what follows as regex text.</summary>
    private sealed class SuffixReader(string pattern, string[] keywords)
    {
        // Between two pieces of pattern text: an empty group, so that "\1" and "0" stay two pieces
        // and (?x) white space rules do not matter.
        private const string Seam = "(?:)";

        // What a part followed by `cont` (regex text) matches from a keyword's end on, one
        // alternative per way; null when some way through the part passes no keyword for sure.
        public List<string>? After(RegexShape.Part part, string cont) => part.Kind switch
        {
            RegexShape.PartKind.Alternation => Branches(part.Parts, cont, opener: null),
            RegexShape.PartKind.Sequence => Sequence(part.Parts, cont, opener: null),
            RegexShape.PartKind.Group when part.Opener != "(?>" => Branches(part.Parts[0].Parts, cont, Scope(part.Opener!)),
            _ => Sequence([part], cont, opener: null),
        };

        private List<string>? Branches(IReadOnlyList<RegexShape.Part> branches, string cont, string? opener)
        {
            var all = new List<string>();
            foreach (RegexShape.Part branch in branches)
            {
                if (Sequence(branch.Parts, cont, opener) is not { } found)
                {
                    return null;
                }

                all.AddRange(found.Where(f => !all.Contains(f, StringComparer.Ordinal)));
            }

            return all;
        }

        // Items of a sequence inside a group opened by `opener` (null: not in a group), then `cont`.
        private List<string>? Sequence(IReadOnlyList<RegexShape.Part> items, string cont, string? opener)
        {
            for (int i = 0; i < items.Count; i++)
            {
                // Every string the items up to i end with holds a keyword: the rest follows its end.
                if (Block(items, i) is { Count: > 0 } words && words.All(HoldsKeyword))
                {
                    // What each word has left after its first keyword (password: "word" after "pass"), then the rest.
                    string[] left = words.Select(w => w.Substring(KeywordEnd(w))).Distinct(StringComparer.Ordinal).OrderBy(w => w, StringComparer.Ordinal).ToArray();
                    string literal = left.Length == 1 && left[0].Length == 0 ? "" : "(?i:" + string.Join("|", left.Select(Regex.Escape)) + ")";
                    string rest = Join(items, i + 1);
                    return [Close(opener, literal + (rest.Length > 0 && literal.Length > 0 ? Seam : "") + rest, cont)];
                }

                // A group (matched once, not atomic) each of whose branches passes a keyword.
                if (items[i].Kind == RegexShape.PartKind.Group && items[i].Opener != "(?>"
                    && After(items[i], Close(opener, Join(items, i + 1), cont)) is { } inside)
                {
                    return inside;
                }
            }

            return null;
        }

        // The words of items j..i for the smallest j the limits allow (longer words hold more).
        private static IReadOnlyCollection<string>? Block(IReadOnlyList<RegexShape.Part> items, int i)
        {
            IReadOnlyCollection<string>? words = items[i].Words;
            for (int j = i - 1; words is not null && j >= 0; j--)
            {
                if (RegexShape.Part.Concat(items[j].Words, words) is not { } longer)
                {
                    break;
                }

                words = longer;
            }

            return words;
        }

        private bool HoldsKeyword(string word) => keywords.Any(k => word.IndexOf(k, StringComparison.Ordinal) >= 0);

        // Where the first keyword in the word ends.
        private int KeywordEnd(string word) => keywords
            .Select(k => word.IndexOf(k, StringComparison.Ordinal) is int at and >= 0 ? at + k.Length : int.MaxValue)
            .Min();

        private string Join(IReadOnlyList<RegexShape.Part> items, int from) =>
            string.Join(Seam, items.Skip(from).Select(p => pattern.Substring(p.Start, p.End - p.Start)));

        // The rest of a group's branch, the group closed, then what follows the group.
        private static string Close(string? opener, string inside, string cont) =>
            inside.Length == 0 ? cont
            : opener is null ? (cont.Length == 0 ? inside : inside + Seam + cont)
            : opener + inside + ")" + cont;

        // A group's options hold for the rest of its branch; a capture is not needed.
        private static string Scope(string opener) =>
            opener.Length > 2 && opener[1] == '?' && opener[opener.Length - 1] == ':' && opener.Skip(2).Take(opener.Length - 3).All(c => "imn-".IndexOf(c) >= 0)
                ? opener
                : "(?:";
    }
}
