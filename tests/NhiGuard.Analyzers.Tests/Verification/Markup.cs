using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>A span marked in test source: <c>[|...|]</c> (the analyzer's own id) or <c>{|NHI001:...|}</c>.</summary>
/// <param name="Id">The diagnostic id, or null for <c>[|...|]</c>.</param>
/// <param name="Span">The marked text in the source with all markup removed.</param>
internal sealed record MarkedSpan(string? Id, TextSpan Span);

/// <summary>Strips diagnostic markup from test source, keeping where each marked span is.</summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<MarkedSpan> Spans) Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var open = new Stack<(string? Id, int Start, string Close)>();
        var spans = new List<MarkedSpan>();
        int i = 0;
        while (i < markup.Length)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, text.Length, "|]"));
                i += 2;
            }
            else if (At(markup, i, "{|") && markup.IndexOf(':', i) is int colon and > 0 && IsId(markup, i + 2, colon))
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), text.Length, "|}"));
                i = colon + 1;
            }
            else if (open.Count > 0 && (At(markup, i, "|]") || At(markup, i, "|}")) && At(markup, i, open.Peek().Close))
            {
                var (id, start, _) = open.Pop();
                spans.Add(new MarkedSpan(id, TextSpan.FromBounds(start, text.Length)));
                i += 2;
            }
            else
            {
                text.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            throw new FormatException($"unclosed markup '{(open.Peek().Id is { } id ? "{|" + id + ":" : "[|")}' at offset {open.Peek().Start}");
        }

        spans.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : a.Span.End.CompareTo(b.Span.End));
        return (text.ToString(), spans);
    }

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    // NHI001, AD0001, CS1002: letters then digits, nothing else before the colon.
    private static bool IsId(string s, int from, int colon) =>
        colon - from is >= 2 and <= 12 && s[from..colon].All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(s[from]);
}
