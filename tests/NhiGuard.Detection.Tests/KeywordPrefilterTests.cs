using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class KeywordPrefilterTests
{
    // What the automaton must find: every occurrence of every keyword, ignoring ASCII case.
    private static List<(int Keyword, int Position)> Naive(IReadOnlyList<string> keywords, string text)
    {
        var found = new List<(int, int)>();
        for (int k = 0; k < keywords.Count; k++)
        {
            for (int at = 0; at + keywords[k].Length <= text.Length; at++)
            {
                if (string.Compare(text, at, keywords[k], 0, keywords[k].Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    found.Add((k, at));
                }
            }
        }

        return found;
    }

    private static List<(int Keyword, int Position)> Found(KeywordPrefilter filter, string text)
    {
        // A join distance of 0 keeps each hit its own run (unless two are at the same place).
        var found = new List<(int, int)>();
        List<HitRun>?[] hits = filter.FindHits(text, joinDistance: 0);
        for (int k = 0; k < hits.Length; k++)
        {
            foreach (HitRun run in hits[k] ?? [])
            {
                found.Add((k, run.First));
                if (run.Last != run.First)
                {
                    found.Add((k, run.Last));
                }
            }
        }

        return found;
    }

    [Fact]
    public void OverlappingNestedAndRepeatedKeywordsAreAllFoundIgnoringCase()
    {
        var filter = new KeywordPrefilter(["secret", "client_secret", "cret", "ghp_", "://", "pat", "Token"]);
        string text = "CLIENT_SECRET=x; url=https://a; path; patpat; ghp_1; tOkEn";
        Assert.Equal(Naive(filter.Keywords, text).OrderBy(x => x), Found(filter, text).OrderBy(x => x));
        Assert.True(filter.ContainsAny("no keyword here but a Pat"));
        Assert.False(filter.ContainsAny("nothing to see"));
    }

    [Fact]
    public void KeywordsOutsideAsciiAreFoundToo()
    {
        var filter = new KeywordPrefilter(["geheimnis", "clé_api", "ключ"]);
        string text = "Clé_API = 1; КЛЮЧ = 2; x";
        Assert.True(filter.ContainsAny(text));
        Assert.Equal(["clé_api", "geheimnis", "ключ"], filter.Keywords);
        Assert.Equal([(0, 0), (2, 8)], Found(filter, "Clé_api КЛЮЧ").OrderBy(x => x));
    }

    [Fact]
    public void OnRandomTextItFindsExactlyWhatANaiveSearchFinds()
    {
        var random = new Random(11);
        const string Alphabet = "abcdeST_:/-. 09\u00e9\n";
        string Word(int min, int max) => new(Enumerable.Range(0, random.Next(min, max)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
        for (int round = 0; round < 200; round++)
        {
            var filter = new KeywordPrefilter(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Word(1, 5)).Where(w => w.Trim().Length > 0));
            string text = Word(0, 300);
            Assert.Equal(Naive(filter.Keywords, text).OrderBy(x => x), Found(filter, text).OrderBy(x => x));
            Assert.Equal(Naive(filter.Keywords, text).Count > 0, filter.ContainsAny(text));
        }
    }
}
