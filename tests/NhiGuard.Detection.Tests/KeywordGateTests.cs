using System.Text.RegularExpressions;
using NhiGuard.Detection;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Detection.Tests;

public sealed class KeywordGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private static KeywordGate? Gate(string pattern, params string[] keywords) => KeywordGate.Create(pattern, keywords, Timeout);

    private static bool Passes(KeywordGate gate, string text) => gate.Passes(text, 0, text.Length);

    [Fact]
    public void AKeywordFollowedByAnAssignmentPassesAndOneInANameDoesNot()
    {
        var gate = Gate(@"(?i)(?:access[_.-]?|\b)token[ \t]*[:=][ \t]*[""'](?<secret>[^""'\s]*[0-9][^""'\s]*)[""']", "token")!;
        Assert.True(Passes(gate, @"access_token = ""abc123"""));
        Assert.True(Passes(gate, @"var x = 1; TOKEN: 'x9'"));
        Assert.False(Passes(gate, "var tokenCache = GetToken(42);"));
        Assert.False(Passes(gate, @"const token23 = await get(`/api/${id}`, { timeout: 3347 });"));
        Assert.False(Passes(gate, @"token = GetToken(""a1"")")); // an assignment, but not of a quoted value
        Assert.True(Passes(gate, @"tokens everywhere; access-token: ""9"""));
    }

    [Fact]
    public void AWindowSeesOnlyItsOwnText()
    {
        var gate = Gate(@"token[ \t]*=[ \t]*(?<secret>\w*[0-9]\w*)$", "token")!;
        const string Text = "token = abc1 tail\nnext";
        Assert.False(gate.Passes(Text, 0, Text.Length)); // $ does not hold before " tail"
        Assert.True(gate.Passes(Text, 0, "token = abc1".Length)); // as the regex sees that window: $ at its end
    }

    [Fact]
    public void KeywordsInsideAFewAlternativesCount()
    {
        // auth[_.-]?key: every way through it spells one of the keywords.
        var gate = Gate(@"(?i)(?:signing|auth)[_.-]?key[ \t]*=[ \t]*""(?<secret>[^""]+)""", "signing", "auth_key", "auth-key", "authkey", "auth.key")!;
        Assert.True(Passes(gate, @"auth.key = ""s3cr3t"""));
        Assert.True(Passes(gate, @"signingKey = ""s3cr3t"""));
        Assert.False(Passes(gate, @"authKeyProvider.Load(); signing(""x"")"));
    }

    [Fact]
    public void ACharacterThatCaseInsensitiveMatchingTakesForALetterLetsTheRegexDecide()
    {
        var gate = Gate(@"(?i)token[ \t]*=[ \t]*""(?<secret>[^""]+)""", "token")!;
        Assert.Matches(new Regex(@"(?i)token[ \t]*=[ \t]*""(?<secret>[^""]+)""", RegexOptions.CultureInvariant), "to\u212Aen = \"x1\"");
        Assert.True(Passes(gate, "token(); to\u212Aen = \"x1\""));
    }

    [Theory]
    [InlineData(@"(?i)(?=token)\w+[ \t]*=[ \t]*(?<secret>\w+)", "token")] // a lookaround
    [InlineData(@"(?i)token[ \t]*=[ \t]*(?<secret>\w+)|secret:[ \t]*(?<secret>\w+)", "token")] // a branch without the keyword
    [InlineData(@"(?i)\w*=(?<secret>\w+)", "token")] // the keyword only inside \w*
    [InlineData(@"token(?i)=(?<secret>\w+)", "token")] // an option switched inside
    [InlineData(@"(?:token)+=(?<secret>\w+)", "token")] // the keyword in a repeated group (not followed)
    [InlineData(@"(?i)token[ \t]*=[ \t]*(?<secret>\w+)", "")] // no keywords
    public void PatternsItCannotReadGetNoGate(string pattern, string keyword) =>
        Assert.Null(Gate(pattern, keyword.Length == 0 ? [] : [keyword]));

    [Fact]
    public void TheGenericAndConnectionStringRulesGetAGateAndEveryExampleSecretPassesIt()
    {
        var rules = RuleCatalog.ReadDirectory(NhiGuard.TestSupport.RepositoryPaths.Rules).Select(d => d.Rule).ToList();
        var gated = rules.Where(r => r.Regex is not null && r.Keywords.Count > 0)
            .Select(r => (Rule: r, Gate: KeywordGate.Create(r.Regex!, r.Keywords, Timeout)))
            .Where(x => x.Gate is not null).ToList();
        string[] expected =
        [
            "generic-api-key", "generic-client-secret", "generic-password", "generic-secret", "generic-token",
            "postgres-connection-string", "sqlserver-connection-string", "url-credentials",
        ];
        Assert.Empty(expected.Except(gated.Select(x => x.Rule.Id)));

        // Each secret example holds a match of its rule, so the gate must let it through, in
        // every template expansion tried.
        int checkedExamples = 0;
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var template = new ExampleTemplate(seed);
            foreach (var (rule, gate) in gated)
            {
                var regex = new Regex(rule.Regex!, RegexOptions.CultureInvariant);
                foreach (string example in rule.SecretExamples.Concat(rule.NotSecretExamples).Select(template.Expand))
                {
                    if (regex.IsMatch(example))
                    {
                        checkedExamples++;
                        Assert.True(Passes(gate!, example), $"{rule.Id}: the gate turns away {example}\n{gate!.Pattern}");
                    }
                }
            }
        }

        Assert.True(checkedExamples > 200, $"only {checkedExamples} examples");
    }

    [Fact]
    public void OnRandomPatternsAndWindowsTheGateNeverTurnsAwayAMatch()
    {
        // Random patterns from the constructs the reader follows, with the keyword "kw" in places
        // that make it mandatory and places that do not, over random text and random windows of
        // it: wherever the regex matches in a window, the gate must let that window through.
        var random = new Random(23);
        string[] atoms =
        [
            "kw", "kw", "k", "w", "a", "b", "7", "-", @"\s", @"\w", ".", "[^a]", "[kx]", "[ab]", "[-=]", @"\d", "^", "$", @"\b",
            "(?i:KW)", "(?-i:kw)", "(?:kw|xkw)", "(?:k|x)w", "(?<s>kw)", "[kK][wW]", @"\n",
        ];
        string[] quantifiers = ["", "", "", "", "?", "*", "+", "{2}", "{0,2}", "*?"];
        var patterns = new RandomPatterns(random, atoms, quantifiers, maxItems: 4);

        const string Alphabet = "kwKWab7 \n-=x";
        string text = new([.. Enumerable.Range(0, 3000).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        int gates = 0, windows = 0, matched = 0, turnedAway = 0;
        for (int i = 0; i < 3000; i++)
        {
            int options = random.Next(4);
            string prefix = options switch { 0 => "", 1 => "(?i)", 2 => "(?im)", _ => "(?x)" };
            string pattern = prefix + string.Join("|", Enumerable.Range(0, random.Next(1, 3)).Select(_ => patterns.Next(2, extended: options == 3)));
            if (KeywordGate.Create(pattern, ["kw"], Timeout) is not { } gate)
            {
                continue;
            }

            gates++;
            var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
            for (int w = 0; w < 20; w++)
            {
                int start = random.Next(text.Length), end = Math.Min(text.Length, start + random.Next(1, 60));
                windows++;
                bool matches = regex.Match(text, start, end - start).Success;
                bool passes = gate.Passes(text, start, end);
                matched += matches ? 1 : 0;
                turnedAway += passes ? 0 : 1;
                Assert.True(passes || !matches, $"{pattern}\ngate: {gate.Pattern}\nwindow: {text[start..end]}");
            }
        }

        // Not vacuous: many patterns get a gate, windows with matches, and windows turned away.
        Assert.True(gates > 400 && matched > 800 && turnedAway > 5_000, $"{gates} gates, {windows} windows, {matched} matched, {turnedAway} turned away");
    }
}
