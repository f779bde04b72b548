using NhiGuard.Detection;

namespace NhiGuard.Detection.Tests;

public sealed class RegexShapeTests
{
    [Theory]
    [InlineData(@"\b(?<secret>ghp_[0-9A-Za-z]{36})\b", true)]
    [InlineData(@"(?i)(?:aws[_.\-]?secret)\s*[:=]\s*(?<secret>[A-Za-z0-9/+]{40})", true)]
    [InlineData(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}", true)]
    [InlineData(@"(?i:datadog|dd_api)[\w\s]{0,64}key", true)]
    [InlineData(@"(?i:datadog|\bdd)[\w\s]{0,64}key", false)]
    [InlineData(@"[A-Za-z0-9]{52}AzSe[A-D]", false)]
    [InlineData(@"(?:^|[^A-Za-z0-9])(?<secret>[a-z0-9]{32})", false)]
    [InlineData(@"abc(?:d+)+e", false)]
    [InlineData(@"ab?c", false)]
    [InlineData(@"xoxb-\d+-(?<secret>.+)", true)]
    public void PicksTheInterpreterOnlyForLiteralPrefixesWithoutRepeatedGroups(string pattern, bool interpreter) =>
        Assert.Equal(interpreter, RegexShape.SuitsInterpreter(pattern));
}

public sealed class RegexLineBreakTests
{
    private const int Unbounded = RegexShape.Unbounded;

    [Theory]
    [InlineData(@"\b(?<secret>ghp_[0-9A-Za-z]{36})\b", 0)]
    [InlineData(@"(?i)token[ \t]*[:=][ \t]*[""'](?<secret>[^""'\s]+)[""']", 0)]
    [InlineData(@"key[^""]*value", Unbounded)] // [^"] takes line feeds
    [InlineData(@"key[^""\r\n]*value", 0)]
    [InlineData(@"key[^\S]value", 1)] // [^\S] is white space
    [InlineData(@"name:[ \t]*\w+[ \t]*\r?\n[ \t]*value:", 1)]
    [InlineData(@"a\s+b", Unbounded)]
    [InlineData(@"a\s?b\s{0,3}c", 4)]
    [InlineData(@"a(?:\r?\n){2}b", 2)]
    [InlineData(@"a(?:x|\n|y\s)*", Unbounded)]
    [InlineData(@"a(?:["" \t]|\s)b|c", 1)]
    [InlineData(@"(?:[""'\s]|$)", 1)]
    [InlineData(@"a.b", 0)]
    [InlineData(@"(?s)a.b", 1)]
    [InlineData(@"(?s:a.b)", Unbounded)] // an option switched inside: not followed
    [InlineData(@"a[\x00-\x1F]b", 1)]
    [InlineData(@"a[\x20-\x7E]b", 0)]
    [InlineData(@"a\x0Ab\u000A", 2)]
    [InlineData(@"a[\w.-]+\W", 1)]
    [InlineData(@"a\p{L}b", 0)]
    [InlineData(@"a[\p{L}]b", 1)] // a category may hold a line feed as far as this reading knows
    [InlineData(@"a[^\p{L}]b", 1)]
    [InlineData(@"a[^\n\p{L}]b", 0)]
    [InlineData(@"(?=x)a", Unbounded)] // lookarounds are not followed
    [InlineData(@"(a)\1", Unbounded)] // nor backreferences
    [InlineData(@"a[b-[c]]", Unbounded)] // nor class subtraction
    [InlineData(@"a{2}\n{1,3}", 3)]
    [InlineData(@"a{,3}", 0)] // '{' that is no quantifier is a literal
    [InlineData(@"(?i)a(?-i:B)c(?m)^d$", 0)]
    [InlineData(@"(?<name>a\n)|(?'other'b\n\n)", 2)]
    [InlineData("(?x) a \\n # a comment with \\n and ( in it\n  | b [ ] c", 1)] // in a class, white space counts
    [InlineData(@"a)", Unbounded)]
    [InlineData(@"a(b", Unbounded)]
    public void CountsTheLineFeedsAMatchCanHold(string pattern, int expected) =>
        Assert.Equal(expected, RegexShape.MaxLineBreaks(pattern));

    [Fact]
    public void TheCatalogsGenericRulesReachAtMostTheNextLine()
    {
        foreach (Rule rule in BuiltInRules.All.Where(r => r.Confidence == Confidence.Low && r.Regex is not null))
        {
            Assert.True(RegexShape.MaxLineBreaks(rule.Regex!) <= 1, $"{rule.Id}: {RegexShape.MaxLineBreaks(rule.Regex!)}");
        }
    }

    [Theory]
    [InlineData(@"token=(?<secret>[a-z]*[0-9][a-z]*)", true)]
    [InlineData(@"token=(?<secret>[a-z]*[0-9]?[a-z]*)", false)] // optional
    [InlineData(@"token=(?<secret>[a-z]*[0-9]*)", false)]
    [InlineData(@"token=(?<secret>[a-z]*[0-9]{2,})", true)]
    [InlineData(@"token=(?<secret>[a-z]*[0-9]{0,2})", false)]
    [InlineData(@"a(?:[0-9]|b[0-9])c|d[1-3]", true)] // every branch has one
    [InlineData(@"a(?:[0-9]|b)c", false)]
    [InlineData(@"a\dc", false)] // \d takes other scripts' digits too
    [InlineData(@"a[0-9a-f]c", false)]
    [InlineData(@"a[^0-9]c", false)]
    [InlineData(@"v1", true)]
    [InlineData(@"(?=[0-9])\w+", false)] // lookarounds are not followed
    public void SaysWhetherEveryMatchHoldsADigit(string pattern, bool expected) =>
        Assert.Equal(expected, RegexShape.RequiresDigit(pattern));

    [Fact]
    public void EveryMatchOfACatalogRuleThatRequiresADigitHoldsOne()
    {
        // Over the examples of every rule the reading says require a digit, and more text around
        // them: a match without a digit would mean the detector skips windows it must read.
        var rules = NhiGuard.Scanner.Rules.RuleCatalog.ReadDirectory(NhiGuard.TestSupport.RepositoryPaths.Rules).Select(d => d.Rule)
            .Where(r => r.Regex is not null && RegexShape.RequiresDigit(r.Regex)).ToList();
        Assert.Contains(rules, r => r.Id == "generic-token");
        Assert.Contains(rules, r => r.Id == "generic-client-secret");
        Assert.DoesNotContain(rules, r => r.Id == "generic-password"); // ConvertTo-SecureString "v" needs none
        var template = new NhiGuard.Scanner.Rules.ExampleTemplate(5);
        string text = string.Join("\n", NhiGuard.Scanner.Rules.RuleCatalog.ReadDirectory(NhiGuard.TestSupport.RepositoryPaths.Rules)
            .SelectMany(d => d.Rule.SecretExamples.Concat(d.Rule.NotSecretExamples)).Select(template.Expand));
        int matches = 0;
        foreach (Rule rule in rules)
        {
            foreach (System.Text.RegularExpressions.Match m in new System.Text.RegularExpressions.Regex(rule.Regex!).Matches(text))
            {
                matches++;
                Assert.True(m.Value.Any(c => c is >= '0' and <= '9'), $"{rule.Id}: {m.Value}");
            }
        }

        Assert.True(matches > 100, $"only {matches} matches");
    }

    [Fact]
    public void OnRandomPatternsNoMatchHoldsMoreLineFeedsOrFewerDigitsThanTheReadingSays()
    {
        // The reading decides which text a rule's regex sees: an answer too small loses matches.
        // Random patterns from the constructs it follows, run over random text with line feeds,
        // digits and CRs: every match stays within what the reading says.
        var random = new Random(17);
        string[] atoms =
        [
            "a", "b", "7", @"\n", @"\r?\n", @"\s", @"\S", @"\d", @"\w", @"\W", ".", "[0-9]", "[^a]", @"[^\n]", @"[^\s]", @"[a-c\n]",
            @"[\x00-\x1F]", "[1-3]", @"[^\S\n]", "^", "$", @"\b", "[ab]",
        ];
        string[] quantifiers = ["", "", "", "?", "*", "+", "{2}", "{0,3}", "{1,2}", "*?", "+?"];
        var patterns = new RandomPatterns(random, atoms, quantifiers);

        const string Alphabet = "ab7 \n\r1x";
        string text = new([.. Enumerable.Range(0, 4000).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        int bounded = 0, digits = 0, matches = 0;
        for (int i = 0; i < 800; i++)
        {
            string pattern = (random.Next(3) == 0 ? "(?m)" : random.Next(4) == 0 ? "(?s)" : "") + patterns.Next(2);
            int reach = RegexShape.MaxLineBreaks(pattern);
            bool digit = RegexShape.RequiresDigit(pattern);
            bounded += reach != RegexShape.Unbounded ? 1 : 0;
            digits += digit ? 1 : 0;
            foreach (System.Text.RegularExpressions.Match m in new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.NonBacktracking).Matches(text))
            {
                matches++;
                Assert.True(m.Value.Count(c => c == '\n') <= reach, $"{pattern}: a match holds {m.Value.Count(c => c == '\n')} line feeds, read {reach}");
                Assert.True(!digit || m.Value.Any(char.IsAsciiDigit), $"{pattern}: a match without a digit");
            }
        }

        // Not vacuous: bounded answers, digit answers and matches of both kinds.
        Assert.True(bounded > 150 && digits > 50 && matches > 5_000, $"{bounded} bounded, {digits} digit, {matches} matches");
    }
}

public sealed class RegexFirstCharacterTests
{
    [Theory]
    [InlineData(@"abc", "a", false)]
    [InlineData(@"(?i)abc", "aA", false)]
    [InlineData(@"a?b*c", "abc", false)]
    [InlineData(@"a?b*", "ab", true)]
    [InlineData(@"\bfoo", "f", false)]
    [InlineData(@"[ \t]*=", " \t=", false)]
    [InlineData(@"[^""]", "a\n", false)]
    [InlineData(@"(?:x|\d)", "x07", false)]
    public void FirstHoldsTheCharactersAMatchCanStartWith(string pattern, string members, bool nullable)
    {
        RegexShape.Part part = RegexShape.Parse(pattern, words: false)!;
        Assert.All(members, c => Assert.True(part.First.Contains(c), $"'{c}' not in the first characters of {pattern}"));
        Assert.Equal(nullable, part.Nullable);
        if (pattern == "abc")
        {
            Assert.False(part.First.Contains('b'));
            Assert.False(part.First.Contains('é'));
        }

        if (pattern == @"[^""]")
        {
            Assert.False(part.First.Contains('"'));
        }
    }

    [Fact]
    public void OnRandomPatternsEveryMatchStartsWithOneOfTheFirstCharacters()
    {
        // The keyword gate skips its regex where the next character is not one a match can start
        // with: a character missing from the reading would lose matches.
        var random = new Random(31);
        string[] atoms =
        [
            "a", "B", "k", "s", "7", "-", " ", @"\s", @"\S", @"\w", @"\W", @"\d", @"\D", ".", "[^a]", "[^A-Z]", "[a-c]", "[kK]", @"[\s=]",
            @"[^\sa]", "^", "$", @"\b", @"\n", @"\x41", @"\u017F", "(?i:a)", "(?-i:B)", "é",
        ];
        string[] quantifiers = ["", "", "", "?", "*", "+", "{2}", "{0,2}"];
        var patterns = new RandomPatterns(random, atoms, quantifiers);

        const string Alphabet = "aAbBkKsS7- =\n\u212A\u017Féx";
        string text = new([.. Enumerable.Range(0, 3000).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        int nonEmpty = 0, narrow = 0;
        for (int i = 0; i < 1500; i++)
        {
            string pattern = (random.Next(2) == 0 ? "(?i)" : "") + patterns.Next(2);
            RegexShape.Part part = RegexShape.Parse(pattern, words: false)!;
            narrow += part.First.Contains('x') ? 0 : 1;
            foreach (System.Text.RegularExpressions.Match m in new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.NonBacktracking).Matches(text))
            {
                if (m.Length == 0)
                {
                    Assert.True(part.Nullable, $"{pattern}: an empty match, read as not nullable");
                    continue;
                }

                nonEmpty++;
                Assert.True(part.First.Contains(m.Value[0]), $"{pattern}: a match starts with U+{(int)m.Value[0]:X4}, not among the first characters read");
            }
        }

        Assert.True(nonEmpty > 20_000 && narrow > 300, $"{nonEmpty} non-empty matches, {narrow} readings that exclude 'x'");
    }
}
