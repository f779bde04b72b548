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
    private readonly System.Buffers.SearchValues<string> _search;
    private readonly Follower[] _followers;

    private KeywordGate(string[] keywords, Follower[] followers)
    {
        _keywords = keywords;
        _search = System.Buffers.SearchValues.Create(keywords, StringComparison.OrdinalIgnoreCase);
        _followers = followers;
    }

    /// <summary>What the gate asks after a keyword, as regex text (for tests and diagnostics).</summary>
    internal string Pattern => string.Join(" | ", _followers.Select(f => $"[{string.Join(",", f.Letters)}] {f.After}"));

    /// <summary>
    /// One way the pattern goes on after a keyword: the letters its words have left after the
    /// keyword (password after "pass": "word"), then what the regex must match there, which
    /// starts with one of <see cref="First"/> unless it can be empty.
    /// </summary>
    private sealed class Follower(string[] letters, Regex? after, RegexShape.CharSet first, bool nullable)
    {
        public string[] Letters { get; } = letters;

        /// <summary>Null: anything may follow the letters.</summary>
        public Regex? After { get; } = after;

        public RegexShape.CharSet First { get; } = first;

        public bool Nullable { get; } = nullable;
    }
#else
    private KeywordGate()
    {
    }
#endif

    /// <summary>The gate for a rule's pattern and keywords; null when the pattern does not say what follows its keywords.</summary>
    public static KeywordGate? Create(string pattern, IEnumerable<string> keywords, TimeSpan timeout)
    {
        try
        {
            return Read(pattern, keywords, timeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The gate only saves work: a pattern it misreads is matched without one.
            return null;
        }
    }

    private static KeywordGate? Read(string pattern, IEnumerable<string> keywords, TimeSpan timeout)
    {
#if NET
        string[] lower = keywords.Select(k => k.ToLowerInvariant()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        RegexShape.Part? root = lower.Length == 0 ? null : RegexShape.Parse(pattern);
        if (root is null || HasOptionSwitch(root))
        {
            return null;
        }

        List<Piece>? pieces = new SuffixReader(pattern, lower).After(root, "");
        if (pieces is null)
        {
            return null;
        }

        // One follower per set of letters (every branch of the generic rules has the same key):
        // an alternation of what may come after them, under the options the pattern starts with.
        string options = pattern.Substring(0, root.Start);
        var followers = new List<Follower>();
        foreach (var same in pieces.GroupBy(p => string.Join("\0", p.Letters), StringComparer.Ordinal))
        {
            string[] letters = same.First().Letters;
            if (same.Any(p => p.After.Length == 0))
            {
                followers.Add(new Follower(letters, null, RegexShape.CharSet.All, nullable: true));
                continue;
            }

            string text = options + @"\G(?:" + string.Join("|", same.Select(p => "(?:" + p.After + ")")) + ")";
            RegexShape.Part? shape = RegexShape.Parse(text, words: false);
            followers.Add(new Follower(letters, new Regex(text, RegexOptions.CultureInvariant, timeout), shape?.First ?? RegexShape.CharSet.All, shape?.Nullable ?? true));
        }

        return new KeywordGate(lower, [.. followers]);
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
            foreach (string keyword in _keywords)
            {
                if (StartsWith(window, at, keyword) && Follows(window, at + keyword.Length))
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
    private static bool StartsWith(ReadOnlySpan<char> window, int at, string word) =>
        at + word.Length <= window.Length && window.Slice(at, word.Length).Equals(word.AsSpan(), StringComparison.OrdinalIgnoreCase);

    // After a keyword ending at `at`: its letters, then a first character the rest can start
    // with (a cheap test that turns most keywords away), then the rest, seen through the same
    // window as the rule's regex sees it, so anchors and \b agree.
    private bool Follows(ReadOnlySpan<char> window, int at)
    {
        foreach (Follower follower in _followers)
        {
            foreach (string letters in follower.Letters)
            {
                int next = at + letters.Length;
                if (!StartsWith(window, at, letters))
                {
                    continue;
                }

                if (follower.After is null)
                {
                    return true;
                }

                if (!follower.Nullable && (next >= window.Length || !follower.First.Contains(window[next])))
                {
                    continue;
                }

                try
                {
                    if (follower.After.IsMatch(window, next))
                    {
                        return true;
                    }
                }
                catch (RegexMatchTimeoutException)
                {
                    return true;
                }
            }
        }

        return false;
    }
#endif

    /// <summary>What the reader found on one way through the pattern: the letters left after a keyword, then the rest as regex text.</summary>
    private sealed record Piece(string[] Letters, string After);

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
        public List<Piece>? After(RegexShape.Part part, string cont) => part.Kind switch
        {
            RegexShape.PartKind.Alternation => Branches(part.Parts, cont, opener: null),
            RegexShape.PartKind.Sequence => Sequence(part.Parts, cont, opener: null),
            RegexShape.PartKind.Group when part.Opener != "(?>" => Branches(part.Parts[0].Parts, cont, Scope(part.Opener!)),
            _ => Sequence([part], cont, opener: null),
        };

        private List<Piece>? Branches(IReadOnlyList<RegexShape.Part> branches, string cont, string? opener)
        {
            var all = new List<Piece>();
            foreach (RegexShape.Part branch in branches)
            {
                if (Sequence(branch.Parts, cont, opener) is not { } found)
                {
                    return null;
                }

                all.AddRange(found.Where(f => !all.Any(a => a.After == f.After && a.Letters.SequenceEqual(f.Letters))));
            }

            return all;
        }

        // Items of a sequence inside a group opened by `opener` (null: not in a group), then `cont`.
        private List<Piece>? Sequence(IReadOnlyList<RegexShape.Part> items, string cont, string? opener)
        {
            for (int i = 0; i < items.Count; i++)
            {
                // Every string the items up to i end with holds a keyword: the rest follows its
                // end, after what each word has left after its first keyword (password: "word"
                // after "pass"; compared ignoring case, which is looser than the pattern may be).
                if (MayEndKeyword(items[i]) && Block(items, i) is { Count: > 0 } words && words.All(HoldsKeyword))
                {
                    string[] letters = words.Select(w => w.Substring(KeywordEnd(w))).Distinct(StringComparer.Ordinal).OrderBy(w => w, StringComparer.Ordinal).ToArray();
                    return [new Piece(letters, Close(opener, Join(items, i + 1), cont))];
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

        // Only a part whose words can end a keyword can complete one (the block before it was tried already).
        private bool MayEndKeyword(RegexShape.Part item) =>
            item.Words is { } words && words.Any(w => w.Length > 0 && keywords.Any(k => k[k.Length - 1] == w[w.Length - 1] || w.IndexOf(k, StringComparison.Ordinal) >= 0));

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
